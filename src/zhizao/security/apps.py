from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "zhizao.security"
    label = "security"
    verbose_name = _("Security audit")

    def ready(self) -> None:
        from zhizao.security import checks, signals  # noqa: F401 (checks register)

        signals.connect()
