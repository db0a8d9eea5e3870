"""Password policy beyond Django's validators (GB/T 22239 身份鉴别 a): no reuse of the last
``ZHIZAO_PASSWORD_HISTORY`` passwords, and expiry after ``ZHIZAO_PASSWORD_MAX_AGE_DAYS``
(the middleware sends an account with an expired password to change it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhizao.security.models import PasswordHistory


def _recent(user: Any) -> list[str]:
    keep = settings.ZHIZAO_PASSWORD_HISTORY
    return list(
        PasswordHistory.objects.filter(user_id=user.pk).values_list("encoded", flat=True)[:keep]
    )


class PasswordHistoryValidator:
    """Refuses a password the account has had among its last ``ZHIZAO_PASSWORD_HISTORY``; keeps
    each new one (its hash) when it is set."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        former = _recent(user)
        current = getattr(user, "password", "")
        if current:
            former.append(current)
        if any(check_password(password, encoded) for encoded in former):
            raise ValidationError(
                ngettext(
                    "This password was used before: choose one different from the last %(count)d.",
                    "This password was used before: choose one different from the last %(count)d.",
                    settings.ZHIZAO_PASSWORD_HISTORY,
                )
                % {"count": settings.ZHIZAO_PASSWORD_HISTORY},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordHistory.objects.create(
            user_id=user.pk,
            encoded=user.password,
            set_at=user.password_changed_at or timezone.now(),
        )
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
            settings.ZHIZAO_PASSWORD_HISTORY :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return _("Your password cannot be one of your last %(count)d passwords.") % {
            "count": settings.ZHIZAO_PASSWORD_HISTORY
        }


def password_expires_at(user: Any) -> datetime | None:
    """When ``user``'s password expires; None if passwords do not expire or it has none."""
    days = settings.ZHIZAO_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return None
    changed = user.password_changed_at or user.date_joined
    expires: datetime = changed + timedelta(days=days)
    return expires


def password_expired(user: Any) -> bool:
    expires = password_expires_at(user)
    return expires is not None and timezone.now() >= expires
