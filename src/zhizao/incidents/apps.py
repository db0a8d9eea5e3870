from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "zhizao.incidents"
    label = "incidents"
    verbose_name = _("Quality-safety incidents")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.incidents.indicators import INDICATORS

        figures.register(*INDICATORS)
