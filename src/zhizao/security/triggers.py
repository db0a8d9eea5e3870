"""The database triggers that make the security log append-only (migration 0002).

``UPDATE`` and ``DELETE`` of an event (and ``TRUNCATE`` on PostgreSQL) are refused by the
database itself, whoever connects as the application. Only ``flush`` (which empties the whole
database: tests, and a deliberate reset) lifts them for its duration (``security``'s own
``flush`` command); the hash chain still detects any change made by someone who drops them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

TABLE = "security_securityevent"
MESSAGE = "security events are append-only (安全审计记录不可修改或删除)"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS security_event_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS security_event_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS security_event_no_update",
    "DROP TRIGGER IF EXISTS security_event_no_delete",
]
POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION security_event_append_only() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    f"CREATE TRIGGER security_event_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION security_event_append_only()",
    f"CREATE TRIGGER security_event_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION security_event_append_only()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS security_event_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS security_event_no_truncate ON {TABLE}",
]


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    return []


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=True):
            cursor.execute(sql)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=False):
            cursor.execute(sql)


def installed(connection: Any) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
        return bool(cursor.fetchone()[0])


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Drop the triggers for the block (``flush``), and put them back after."""
    present = installed(connection)
    if present:
        remove(connection)
    try:
        yield
    finally:
        if present:
            install(connection)
