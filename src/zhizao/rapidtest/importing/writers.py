"""Step 2 of an import, in one short transaction: the spooled rows written (PostgreSQL ``COPY``,
SQLite ``executemany``) with the batch, the rollups and the follow-up cases."""

from __future__ import annotations

import io
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from typing import IO, Any

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhizao.core.models import User
from zhizao.rapidtest import rollups
from zhizao.rapidtest.choices import case_deadline_hours
from zhizao.rapidtest.importing.checking import RollupDeltas
from zhizao.rapidtest.importing.state import _Context, _State
from zhizao.rapidtest.models import FollowUpCase, ImportBatch, TestRecord

INSERT_COLUMNS = (
    "market_id",
    "stall_id",
    "product_id",
    "item_id",
    "origin",
    "supplier",
    "batch_kg",
    "sampled_at",
    "tested_at",
    "tester_id",
    "tester_name",
    "instrument_id",
    "value",
    "passed",
    "source",
    "client_record_id",
    "sample_code",
    "entered_at",
    "import_batch_id",
    "photo",
    "is_synthetic",
)


def _bump_rollups(deltas: RollupDeltas | None) -> None:
    """Add the import's counts to the rollups in one set-wise upsert per table."""
    if deltas is not None:
        rollups.bump_arrays(*deltas)


# Columns whose value is the same for every row of an import: on SQLite they are written as
# literals in the INSERT statement rather than bound once per row.
CONSTANT_COLUMNS = ("tester_id", "source", "entered_at", "import_batch_id", "photo", "is_synthetic")
VARYING_COLUMNS = tuple(name for name in INSERT_COLUMNS if name not in CONSTANT_COLUMNS)


def _sqlite_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def _sqlite_insert(ctx: _Context, batch_id: int) -> str:
    constants = {
        "tester_id": ctx.actor.pk if ctx.actor is not None else None,
        "source": ctx.source,
        "entered_at": ctx.now.astimezone(UTC).replace(tzinfo=None).isoformat(" "),
        "import_batch_id": batch_id,
        "photo": "",
        "is_synthetic": ctx.synthetic,
    }
    values = [
        _sqlite_literal(constants[name]) if name in constants else "?" for name in INSERT_COLUMNS
    ]
    return (
        f"INSERT INTO {TestRecord._meta.db_table} ({', '.join(INSERT_COLUMNS)}) "
        f"VALUES ({', '.join(values)})"
    )


def _payload(table: pa.Table, vendor: str, batch_id: int) -> Any:
    """What the database write of one checked block needs, built column-wise (in the worker
    thread): CSV bytes for PostgreSQL COPY (Arrow's C++ writer), or row tuples for SQLite."""
    if vendor == "postgresql":
        batch_ids = pa.repeat(pa.scalar(batch_id, pa.int64()), table.num_rows)
        columns = {name: table.column(name) for name in table.column_names}
        columns["import_batch_id"] = batch_ids
        buffer = io.BytesIO()
        pacsv.write_csv(
            pa.table({name: columns[name] for name in INSERT_COLUMNS}),
            buffer,
            write_options=pacsv.WriteOptions(include_header=False, quoting_style="all_valid"),
        )
        return buffer.getbuffer()
    fields: list[list[Any]] = []
    for name in VARYING_COLUMNS:
        column = table.column(name)
        if pa.types.is_timestamp(column.type):
            # Django's SQLite format: UTC, "YYYY-MM-DD HH:MM:SS" (Arrow cast, no strftime).
            naive = pc.cast(pc.cast(column, pa.int64()), pa.timestamp(column.type.unit))
            column = pc.cast(naive, pa.string())
        fields.append(column.to_pylist())
    return list(zip(*fields, strict=True))


def _write(payload: Any, ctx: _Context, batch_id: int) -> None:
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        columns = ", ".join(INSERT_COLUMNS)
        sql = f"COPY {TestRecord._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv)"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(payload)
        return
    raw.executemany(_sqlite_insert(ctx, batch_id), payload)


SQLITE_IMPORT_CACHE_KIB = 65536


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """On SQLite, a 64 MiB page cache for the import (the default 2 MiB makes every insert into
    the table's indexes re-read pages), restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


class _Prefetch:
    """Runs an iterator in a worker thread, ``depth`` items ahead: the next block is read from
    the spool and encoded while the database is still writing the previous one. Arrow and the
    database drivers release the GIL in their heavy parts, so the two overlap."""

    _DONE = object()

    def __init__(self, items: Iterator[Any], depth: int = 2) -> None:
        self._items = items
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="rapidtest-import", daemon=True)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _work(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
            self._put(self._DONE)
        except BaseException as error:  # handed to the consuming thread
            self._put(error)

    def __enter__(self) -> _Prefetch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def __iter__(self) -> Iterator[Any]:
        while True:
            item = self._queue.get()
            if item is self._DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item


def _existing_ids(table: pa.Table, offset: int) -> list[int]:
    """Row numbers of a block whose record ids are already stored (diagnosis after a conflict)."""
    markets = table.column("market_id").to_pylist()
    ids = table.column("client_record_id").to_pylist()
    stored: set[tuple[int, str]] = set()
    for start in range(0, len(ids), 500):
        stored.update(
            TestRecord.objects.filter(
                market_id__in=set(markets[start : start + 500]),
                client_record_id__in=ids[start : start + 500],
            ).values_list("market_id", "client_record_id")
        )
    return [offset + 2 + i for i, key in enumerate(zip(markets, ids, strict=True)) if key in stored]


def _open_cases(batch: ImportBatch, actor: User | None) -> None:
    """Open a follow-up case for every failed row of the batch, with its history row, set-wise
    (two ``INSERT … SELECT`` statements; what ``bulk_create_with_history`` would write)."""
    hours = case_deadline_hours()
    if connection.vendor == "postgresql":
        due = "r.tested_at + %s::double precision * interval '1 hour'"
    else:
        due = "strftime('%%Y-%%m-%%d %%H:%%M:%%f', r.tested_at, '+' || %s || ' hours')"
    computed = {
        "record_id": ("r.id", []),
        "market_id": ("r.market_id", []),
        "opened_at": ("r.tested_at", []),
        "due_at": (due, [hours]),
    }
    columns, selects, params = [], [], []
    for model_field in FollowUpCase._meta.concrete_fields:
        if model_field.primary_key:
            continue
        columns.append(connection.ops.quote_name(str(model_field.column)))
        if model_field.attname in computed:
            expression, extra = computed[model_field.attname]
            selects.append(expression)
            params.extend(extra)
        else:
            selects.append("%s")
            params.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    source = f"FROM {TestRecord._meta.db_table} r WHERE r.import_batch_id = %s AND NOT r.passed"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FollowUpCase._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(selects)} {source}",
            [*params, batch.pk],
        )
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        history = FollowUpCase.history.model
        history_values: dict[str, Any] = {
            "history_date": timezone.now(),
            "history_change_reason": "",
            "history_type": "+",
            "history_user_id": actor.pk if actor is not None else None,
        }
        case_columns = {f.attname: f.column for f in FollowUpCase._meta.concrete_fields}
        columns, selects, params = [], [], []
        for model_field in history._meta.concrete_fields:
            if model_field.primary_key:
                continue  # history_id
            columns.append(connection.ops.quote_name(str(model_field.column)))
            if model_field.attname in case_columns:
                selects.append(
                    f"c.{connection.ops.quote_name(str(case_columns[model_field.attname]))}"
                )
            else:
                selects.append("%s")
                value = history_values[model_field.attname]
                params.append(model_field.get_db_prep_save(value, connection))
        cursor.execute(
            f"INSERT INTO {history._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(selects)} FROM {FollowUpCase._meta.db_table} c "
            f"JOIN {TestRecord._meta.db_table} r ON r.id = c.record_id "
            "WHERE r.import_batch_id = %s AND NOT r.passed",
            [*params, batch.pk],
        )


ANALYZE_AFTER_ROWS = 50_000


def _refresh_planner_statistics(rows: int) -> None:
    """After a large import, let PostgreSQL re-read the table's statistics: without them its
    planner picks bad plans for the staff pages (a records page took 7 s after loading the
    1.1 M-row demo, 138 ms after ANALYZE). SQLite keeps no statistics; its queries don't rely
    on them."""
    if rows >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TestRecord._meta.db_table}")


_STORED_ID_ERRORS = (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)


def _spooled(spool: IO[bytes]) -> Iterator[tuple[int, pa.RecordBatch]]:
    """The spooled blocks with the file offset (data row index) of each one's first row."""
    spool.seek(0)
    if not spool.read(1):
        return
    spool.seek(0)
    offset = 0
    for batch in pa.ipc.open_stream(spool):
        yield offset, batch
        offset += batch.num_rows


class _StoredSample(Exception):
    """A sample code of the file is already stored for its market (the write is rolled back)."""


STORED_SAMPLE_SQL = (
    "SELECT 1 FROM rapidtest_testrecord n JOIN rapidtest_testrecord o "
    "ON o.market_id = n.market_id AND o.sample_code = n.sample_code "
    "AND (o.import_batch_id IS NULL OR o.import_batch_id <> n.import_batch_id) "
    "WHERE n.import_batch_id = %s LIMIT 1"
)


def _write_spooled(
    spool: IO[bytes], file_name: object, ctx: _Context, state: _State, deltas: RollupDeltas | None
) -> ImportBatch | None:
    """Step 2: write the checked rows, the batch, the rollups and the cases in one transaction
    (on SQLite the write lock is held from its start to its commit). ``None`` if the same file
    was imported since step 1 began."""
    vendor = connection.vendor
    market_ids = [] if deltas is None else np.unique(deltas[0]).tolist()
    with _sqlite_cache(), transaction.atomic():
        if ImportBatch.objects.filter(sha256=ctx.sha, rows__gt=0).exists():
            return None
        # A file holds its samples whole: none may add tests to a sample already stored.
        had_tests = TestRecord.objects.filter(market_id__in=market_ids).exists()
        batch = ImportBatch.objects.create(
            uploaded_by=ctx.actor,
            file_name=str(file_name)[-255:],
            sha256=ctx.sha,
            source=ctx.source,
            is_synthetic=ctx.synthetic,
        )

        def payloads() -> Iterator[Any]:
            for _offset, block in _spooled(spool):
                yield _payload(pa.Table.from_batches([block]), vendor, batch.pk)

        with _Prefetch(payloads()) as ready:
            for payload in ready:
                _write(payload, ctx, batch.pk)
        if had_tests:
            with connection.cursor() as cursor:
                cursor.execute(STORED_SAMPLE_SQL, [batch.pk])
                if cursor.fetchone() is not None:
                    raise _StoredSample
        _bump_rollups(deltas)
        rollups.bump_suppliers_of_batch(batch.pk)
        _open_cases(batch, ctx.actor)
        batch.rows = state.rows
        batch.save(update_fields=["rows"])
    return batch


def _stored_sample_rows(spool: IO[bytes]) -> list[int]:
    """Rows of the spooled file whose sample code is already stored for their market."""
    rows: list[int] = []
    for offset, block in _spooled(spool):
        markets = block.column("market_id").to_pylist()
        codes = block.column("sample_code").to_pylist()
        stored: set[tuple[int, str]] = set()
        for start in range(0, len(codes), 500):
            stored.update(
                TestRecord.objects.filter(
                    market_id__in=set(markets[start : start + 500]),
                    sample_code__in=codes[start : start + 500],
                ).values_list("market_id", "sample_code")
            )
        rows.extend(
            offset + 2 + i
            for i, key in enumerate(zip(markets, codes, strict=True))
            if key in stored
        )
    return rows


def _stored_id_rows(spool: IO[bytes]) -> list[int]:
    """Rows of the spooled (clean) file whose record id is already stored for their market."""
    rows: list[int] = []
    for offset, block in _spooled(spool):
        rows.extend(_existing_ids(pa.Table.from_batches([block]), offset))
    return rows
