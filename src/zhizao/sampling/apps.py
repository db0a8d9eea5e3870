from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamplingConfig(AppConfig):
    name = "zhizao.sampling"
    label = "sampling"
    verbose_name = _("Supervision sampling")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.sampling.indicators import INDICATORS

        figures.register(*INDICATORS)
