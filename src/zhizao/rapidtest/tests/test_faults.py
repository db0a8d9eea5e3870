"""Faults (issue 20): SIGKILL during an import, and 20 concurrent retries of one instrument
record. Real processes (``zhizao import_rapidtests``, ``zhizao serve``), real signals, a private
PostgreSQL cluster (never the shared server) and a SQLite file, each migrated once and copied
per run. The sizes here are small (``make test``); ``make stress`` runs the same drills at the
issue's sizes (``bench/stress.py``). PostgreSQL restarted during a burst of API writes is
``faults.write_burst`` (``make stress``). What each proves: docs/reliability.md."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from zhizao.rapidtest.tests import faults

IMPORT_BATCHES = 15_000  # about 19,000 rows (a sample is screened for one to three items)
KILLS = 5


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="zhizao-faults-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


# The drills run on the vendor of the suite's own database (SQLite in the first pass of
# `make test`, PostgreSQL in the second, `.ci/run`), each drill on a database of its own.
VENDOR = "postgresql" if connection.vendor == "postgresql" else "sqlite"


@pytest.fixture(scope="module")
def databases(workdir: Path) -> Iterator[tuple[faults.Database, dict[str, Any]]]:
    """The drills' database, migrated and prepared once, and the import file (written once).
    On PostgreSQL a private cluster (no skip: a machine without PostgreSQL's server fails
    here), never the shared server."""
    csv = workdir / "import.csv"
    if VENDOR == "sqlite":
        sqlite = faults.Database(workdir / "sqlite")
        yield sqlite, sqlite.prepare_template(csv, IMPORT_BATCHES)
        return
    with faults.private_postgres() as cluster:
        postgres = faults.Database(workdir / "postgresql", cluster)
        yield postgres, postgres.prepare_template(csv, IMPORT_BATCHES)


def test_sigkill_during_an_import_leaves_all_or_nothing(databases):
    database, prepared = databases
    report = faults.kill_import_runs(database, prepared, KILLS)
    whole, *killed = report.kills
    assert report.rows > IMPORT_BATCHES
    # The uninterrupted import stores every row, once, and its rollups match.
    assert whole["outcome"] == "whole", report
    assert whole["records"] == report.rows
    assert whole["cases"] == whole["failed"] > 0
    assert len(killed) == KILLS
    assert report.partial_imports == 0, report
    assert report.rollups_wrong == 0, report
    for kill in killed:
        assert kill["outcome"] in ("none", "whole"), kill
        assert kill["market_month_equal"], kill
        # A file either went in with its follow-up cases or left nothing behind.
        assert kill["cases"] == kill["failed"], kill
    # At least one kill landed while the import ran (not after it finished).
    assert any(not kill["exited_before_kill"] for kill in killed), report


def test_twenty_concurrent_retries_create_one_record(databases):
    database, prepared = databases
    _name, url = database.copy()
    with faults.served(url, database.workdir) as base:
        results = faults.concurrent_retries(
            base, prepared["token"], prepared["market"], "burst-retry-1", parallel=20
        )
    statuses = sorted(status for status, _id in results)
    assert len(results) == 20
    # One created it (201), every other retry got the stored record back (200).
    assert statuses == [200] * 19 + [201], statuses
    assert len({record_id for _status, record_id in results}) == 1
    state = faults.check(url, database.workdir)
    assert state["client_ids"] == ["burst-retry-1"]
    assert state["records"] == 1
    assert state["rollups_equal"]
    assert state["market_month_equal"]
    assert state["suppliers_equal"]
