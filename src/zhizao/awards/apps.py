from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "zhizao.awards"
    label = "awards"
    verbose_name = _("Government quality awards")

    def ready(self) -> None:
        from zhizao.awards.indicators import INDICATORS
        from zhizao.awards.services import recheck_conflicts
        from zhizao.core import figures
        from zhizao.core import services as core_services

        figures.register(*INDICATORS)
        core_services.on_affiliation_change(recheck_conflicts)
