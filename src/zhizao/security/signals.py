"""Which events the security audit log records, from Django's and django-axes' signals and the
user model (docs/security.md lists them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from simple_history.models import HistoricalRecords

from zhizao.security import services as events
from zhizao.security.choices import EventKind, Result

WATCHED = ("role", "is_staff", "is_superuser", "is_active", "password")


def _acting_user() -> Any:
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        from zhizao.security.middleware import mark_renewed

        mark_renewed(request)
    events.record(EventKind.LOGIN, user=user, object=user.get_username(), request=request)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        events.record(EventKind.LOGOUT, user=user, object=user.get_username(), request=request)


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = str(credentials.get("username", ""))
    events.record(
        EventKind.LOGIN_FAILED,
        result=Result.FAILURE,
        subject=username,
        object=username,
        request=request,
    )


def _locked_out(sender: Any, request: Any, username: str | None = None, **kw: Any) -> None:
    events.record(
        EventKind.LOCKED_OUT,
        result=Result.FAILURE,
        subject=username or "",
        object=username or "",
        request=request,
    )


def _remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        instance._security_before = None
        return
    before = sender._default_manager.filter(pk=instance.pk).values(*WATCHED).first()
    instance._security_before = before


def _user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    actor = _acting_user()
    target = instance.get_username()
    now = {field: getattr(instance, field) for field in WATCHED}
    if created:
        detail = {f: now[f] for f in ("role", "is_staff", "is_superuser", "is_active")}
        events.record(EventKind.USER_CREATED, user=actor, object=target, detail=detail)
        return
    before = getattr(instance, "_security_before", None)
    if not before:
        return
    changed = {
        field: [before[field], now[field]]
        for field in ("role", "is_staff", "is_superuser")
        if before[field] != now[field]
    }
    if changed:
        events.record(EventKind.ROLE_CHANGED, user=actor, object=target, detail=changed)
    if before["is_active"] and not now["is_active"]:
        events.record(EventKind.USER_DEACTIVATED, user=actor, object=target)
    if before["password"] != now["password"]:
        events.record(EventKind.PASSWORD_CHANGED, user=actor, object=target)


def connect() -> None:
    from axes.signals import user_locked_out

    user_model = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="security-login")
    user_logged_out.connect(_logged_out, dispatch_uid="security-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="security-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="security-locked-out")
    pre_save.connect(_remember, sender=user_model, dispatch_uid="security-user-before")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="security-user-saved")
