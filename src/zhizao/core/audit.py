"""Reading the audit trail kept by django-simple-history: who changed what, when, and how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import registered_models

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    action: str
    record_type: str
    record: str
    changes: tuple[FieldChange, ...]
    reason: str


def _entry(historical: Any, previous: Any | None) -> AuditEntry:
    changes: tuple[FieldChange, ...] = ()
    if previous is not None and historical.history_type == "~":
        delta = historical.diff_against(previous)
        model = historical.instance_type
        changes = tuple(
            FieldChange(
                field=str(model._meta.get_field(change.field).verbose_name),
                old=change.old,
                new=change.new,
            )
            for change in delta.changes
        )
    user = historical.history_user
    return AuditEntry(
        when=historical.history_date,
        who=user.get_username() if user is not None else str(_("system")),
        action=str(ACTIONS.get(historical.history_type, historical.history_type)),
        record_type=str(historical.instance_type._meta.verbose_name),
        record=str(historical.instance),
        changes=changes,
        reason=historical.history_change_reason or "",
    )


def record_changes(instance: models.Model) -> list[AuditEntry]:
    """The history of one record, newest first, each with the fields it changed."""
    history: Any = getattr(instance, "history")  # noqa: B009 - added by simple_history
    rows = list(history.select_related("history_user").order_by("history_date", "history_id"))
    entries = [_entry(row, rows[index - 1] if index else None) for index, row in enumerate(rows)]
    return entries[::-1]


def recent_changes(limit: int = 50) -> list[AuditEntry]:
    """The latest changes across every audited record type, newest first."""
    latest: list[Any] = []
    for model in registered_models.values():
        history_model = model.history.model
        latest.extend(
            history_model.objects.select_related("history_user").order_by("-history_date")[:limit]
        )
    latest.sort(key=lambda row: row.history_date, reverse=True)
    return [
        _entry(row, row.prev_record if row.history_type == "~" else None) for row in latest[:limit]
    ]
