from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhizao.core"
    label = "core"
    verbose_name = _("Core records")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from zhizao.core.audit import record_login

        # A login is a security event, not a change of the user record: Django's own handler
        # saves the user (and so writes an empty history row on every login).
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(record_login, dispatch_uid="zhizao_record_login")
