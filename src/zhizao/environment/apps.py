from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnvironmentConfig(AppConfig):
    name = "zhizao.environment"
    label = "environment"
    verbose_name = _("Environmental quality")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.environment.indicators import INDICATORS

        figures.register(*INDICATORS)
