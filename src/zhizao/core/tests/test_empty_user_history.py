"""The empty "changed user" rows that past logins stored (issue 10): a login once saved the user
only to set ``last_login``, which the history does not track, so each login left a history row
that changes nothing. Migration ``core.0003`` deletes them and the audit log skips any left."""

import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import translation

from zhizao.core.audit import AuditFilter, changes_visible_to, entries_for, record_changes
from zhizao.core.models import User

migration = importlib.import_module("zhizao.core.migrations.0003_delete_empty_user_history")


def _past_logins(user, times=3):
    """What a login did before: save the user with a new ``last_login`` (a history row)."""
    for _ in range(times):
        user.last_login = None if user.last_login else user.date_joined
        user.save()


def _history(user):
    return list(
        User.history.filter(id=user.pk)
        .order_by("history_date", "history_id")
        .values_list("history_type", "first_name", "history_change_reason")
    )


def test_the_migration_deletes_the_empty_rows_and_keeps_the_real_changes(personas):
    alice, bob = personas.alice, personas.bob
    _past_logins(alice)
    alice.first_name = "爱丽丝"
    alice.save()
    _past_logins(alice, 2)
    alice._change_reason = "checked by the bureau"
    alice.save()
    _past_logins(bob)
    created_only = User.objects.create(username="carol")
    assert len(_history(alice)) == 1 + 3 + 1 + 2 + 1
    migration.delete_empty_user_changes(apps, None)
    assert _history(alice) == [
        ("+", "", None),
        ("~", "爱丽丝", None),
        ("~", "爱丽丝", "checked by the bureau"),
    ]
    assert [row[0] for row in _history(bob)] == ["+"]
    assert [row[0] for row in _history(created_only)] == ["+"]
    # Run again: nothing more to delete.
    migration.delete_empty_user_changes(apps, None)
    assert len(_history(alice)) == 3


def test_the_audit_log_skips_empty_user_changes(personas):
    alice = personas.alice
    _past_logins(alice)
    alice.first_name = "爱丽丝"
    alice.save()
    _past_logins(alice)
    rows = changes_visible_to(personas.admin, AuditFilter(model="core.user", record_id=alice.pk))
    assert rows.count() == 1 + 3 + 1 + 3  # the rows are still there…
    with translation.override("en"):
        entries = entries_for(rows)
        own = record_changes(alice)
    assert [(e.action, len(e.changes)) for e in entries] == [("changed", 1), ("created", 0)]
    assert [(e.action, len(e.changes)) for e in own] == [("changed", 1), ("created", 0)]
    page = personas.client("admin").get(
        reverse("core:audit_log"), {"model": "core.user", "record_id": alice.pk, "lang": "en"}
    )
    assert page.status_code == 200
    assert len(page.context["changes"]) == 2
