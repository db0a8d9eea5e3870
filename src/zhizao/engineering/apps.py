from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngineeringConfig(AppConfig):
    name = "zhizao.engineering"
    label = "engineering"
    verbose_name = _("Engineering quality")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.engineering.indicators import INDICATORS

        figures.register(*INDICATORS)
