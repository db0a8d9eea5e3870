from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterpriseConfig(AppConfig):
    name = "zhizao.enterprise"
    label = "enterprise"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.enterprise.indicators import INDICATORS

        figures.register(*INDICATORS)
