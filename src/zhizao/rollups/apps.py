from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "zhizao.rollups"
    label = "rollups"
    verbose_name = _("Province and nation rollups")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.rollups.indicators import INDICATORS

        figures.register(*INDICATORS)
