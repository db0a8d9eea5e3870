"""The security audit log (GB/T 22239-2019 level 3, 安全审计): one row per security-relevant event
with its date and time, type, subject, object and result, append-only and hash-chained so that
any change or deletion is detected by ``zhizao audit verify`` (docs/security.md).

Append-only three times over: the model refuses ``save()`` of an existing row and ``delete()``;
the database refuses ``UPDATE`` and ``DELETE`` by trigger (migration 0002, SQLite and
PostgreSQL); and each row's ``digest`` covers the previous row's, so a row changed or removed
behind the triggers' back (by a database superuser who drops them) breaks the chain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhizao.security.choices import EventKind, Result

GENESIS = "0" * 64


class AppendOnlyError(RuntimeError):
    """A security event cannot be changed or deleted."""


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("security events are append-only (安全审计记录不可修改)")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("security events are append-only (安全审计记录不可删除)")


class SecurityEvent(models.Model):
    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("date and time"), db_index=True)
    kind = models.CharField(_("event type"), max_length=32, choices=EventKind.choices)
    subject = models.CharField(_("subject (user)"), max_length=150, blank=True)
    subject_id = models.BigIntegerField(_("subject id"), null=True, blank=True, db_index=True)
    object = models.CharField(_("object"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    address = models.CharField(_("address"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous = models.CharField(_("previous digest"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.subject} {self.result}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("security events are append-only (安全审计记录不可修改)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("security events are append-only (安全审计记录不可删除)")


class ChainHead(models.Model):
    """The one row (pk 1) that names the chain's last event: locked while an event is appended,
    so that concurrent appenders queue instead of forking the chain."""

    last_seq = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("security log head")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.digest[:12]}"


class PasswordHistory(models.Model):
    """A password an account has had (its hash only), so that the last
    ``ZHIZAO_PASSWORD_HISTORY`` cannot be used again (``passwords.PasswordHistoryValidator``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    encoded = models.CharField(_("password hash"), max_length=128)
    set_at = models.DateTimeField(_("set"), db_index=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")

    def __str__(self) -> str:
        return f"{self.user_id} {self.set_at:%Y-%m-%d}"
