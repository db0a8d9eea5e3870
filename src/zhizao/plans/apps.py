from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "zhizao.plans"
    label = "plans"
    verbose_name = _("Plans and department figures")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.plans.indicators import INDICATORS

        figures.register(*INDICATORS)
