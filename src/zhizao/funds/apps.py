from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "zhizao.funds"
    label = "funds"
    verbose_name = _("Incentive funds")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.funds.indicators import INDICATORS

        figures.register(*INDICATORS)
