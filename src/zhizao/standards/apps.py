from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "zhizao.standards"
    label = "standards"
    verbose_name = _("Standards")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.standards.indicators import INDICATORS

        figures.register(*INDICATORS)
