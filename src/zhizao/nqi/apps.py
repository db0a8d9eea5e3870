from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NqiConfig(AppConfig):
    name = "zhizao.nqi"
    label = "nqi"
    verbose_name = _("Quality infrastructure")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.nqi.indicators import INDICATORS

        figures.register(*INDICATORS)
