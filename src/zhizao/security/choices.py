from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKED_OUT = "locked_out", _("account locked after failed logins")
    LOGOUT = "logout", _("logout")
    PERMISSION_DENIED = "permission_denied", _("access refused")
    USER_CREATED = "user_created", _("user created")
    ROLE_CHANGED = "role_changed", _("role or privileges changed")
    USER_DEACTIVATED = "user_deactivated", _("user deactivated")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    BACKUP = "backup", _("backup made")
    RESTORE = "restore", _("backup restored")
    UNLOCKED = "unlocked", _("lockout lifted")
    LOG_EXPORTED = "log_exported", _("security log exported")
    LOG_VERIFIED = "log_verified", _("security log verified")


class Result(models.TextChoices):
    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")
