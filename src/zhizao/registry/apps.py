from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "zhizao.registry"
    label = "registry"
    verbose_name = _("Honours and registries")

    def ready(self) -> None:
        from zhizao.core import figures
        from zhizao.registry.indicators import INDICATORS

        figures.register(*INDICATORS)
