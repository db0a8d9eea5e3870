"""Bulk import of test records from CSV or XLSX, validated column-wise, all or nothing.

An import has two steps, so that it holds the database's write lock (SQLite has one for the whole
database) only while it writes:

1. **Check**, outside any transaction: the file is read in blocks (``pyarrow.csv.open_csv`` for
   CSV, ``openpyxl`` read-only rows for XLSX) and never held whole. Each block is validated with
   vectorised Arrow/NumPy operations and, while every row so far is clean, spooled in its
   database layout to a temporary Arrow IPC stream (in memory up to
   :data:`SPOOL_IN_MEMORY_BYTES`, then on disk). After a bad row the remaining blocks are still
   validated, so that every bad row is listed, and the import stops there: nothing was written.
2. **Write**, in one short transaction: the spooled blocks go into the real table — PostgreSQL
   through ``COPY … FROM STDIN`` (psycopg 3), SQLite through ``executemany`` (the next block's
   rows are built in a worker thread while the database writes the previous one) — with the
   batch, the rollups and the follow-up cases. A record id already stored for its market rolls
   the whole transaction back; the rows are then listed from the spool.
"""

from __future__ import annotations

import csv
import hashlib
import io
import queue
import re
import sqlite3
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.models import Organization, User
from zhizao.core.tabular import ReadError, cell_text, text_encoding
from zhizao.rapidtest import rollups
from zhizao.rapidtest.choices import MANUAL_SOURCES, case_deadline_hours
from zhizao.rapidtest.models import FollowUpCase, ImportBatch, TestRecord
from zhizao.rapidtest.validation import COLUMNS, REQUIRED, Catalogue, Rules, check_block, np_bool

CSV_BLOCK_BYTES = 4 << 20
SPOOL_IN_MEMORY_BYTES = 32 << 20  # checked blocks up to this size stay in memory
XLSX_BLOCK_ROWS = 20_000
MAX_ERRORS = 100_000

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
    "entered_at",
    "import_batch_id",
    "photo",
    "is_synthetic",
)


def template_headers(language: str) -> list[str]:
    index = 1 if language.startswith("zh") else 0
    return [str(spec[index]) for spec in COLUMNS.values()]


def _header_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, (english, chinese, _length) in COLUMNS.items():
        mapping[english.lower()] = canonical
        mapping[chinese] = canonical
    return mapping


@dataclass
class _State:
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    written: int = 0
    ragged: int = 0  # CSV rows with more or fewer cells than the header
    counts: list[pa.Table] = field(default_factory=list)  # per block: rollup keys and counts
    explicit_keys: list[pa.Array] = field(default_factory=list)
    explicit_rows: list[npt.NDArray[np.int64]] = field(default_factory=list)

    def add(self, rows: npt.NDArray[np.int64], column: str, message: str) -> None:
        for row in rows[: max(0, MAX_ERRORS - len(self.errors))]:
            self.errors.append({"row": int(row), "column": column, "message": message})


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _open(file: UploadedFile[Any] | IO[bytes] | str) -> IO[bytes]:
    if isinstance(file, str):
        return open(file, "rb")
    if isinstance(file, UploadedFile):
        if hasattr(file, "temporary_file_path"):
            return open(file.temporary_file_path(), "rb")
        file.seek(0)
        return file.file  # type: ignore[return-value]
    return file


def _csv_blocks(
    handle: IO[bytes], encoding: str, state: _State
) -> tuple[list[str], Iterator[pa.Table]]:
    """The header and the blocks of a CSV file. A row with more or fewer cells than the header
    is an error on that row: Arrow skips it (counting them), and :func:`_ragged_rows` finds
    their row numbers afterwards (Arrow does not know them)."""
    first = handle.readline().decode("utf-8-sig" if encoding == "utf-8" else encoding)
    handle.seek(0)
    # The header line as Arrow reads it: a lone CR ends a line too (Python's csv module refuses
    # one inside a line).
    first = re.split(r"\r\n?|\n", first, maxsplit=1)[0]
    try:
        headers = [h.strip() for h in next(csv.reader([first]), [])]
    except csv.Error:
        headers = [h.strip() for h in first.split(",")]
    names = [f"c{i}" for i in range(len(headers))]

    def skip(row: Any) -> str:
        state.ragged += 1
        return "skip"

    def blocks() -> Iterator[pa.Table]:
        reader = pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(
                skip_rows=1,
                column_names=names,
                block_size=CSV_BLOCK_BYTES,
                encoding="utf8" if encoding == "utf-8" else encoding,
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}),
        )
        for batch in reader:
            yield pa.Table.from_batches([batch])

    return headers, blocks()


def _renumber(state: _State, handle: IO[bytes], encoding: str, width: int) -> None:
    """Give the errors of a CSV import their rows as a spreadsheet numbers them, and list the
    ragged rows. Arrow leaves out blank lines and the rows it skipped (ragged), so its row
    numbers run short after them; the file is read again with Python's csv module (only for a
    refused import) to find both, renumber every error and report each ragged row."""
    handle.seek(0)
    text = io.TextIOWrapper(
        handle, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline=""
    )
    skipped: list[int] = []  # spreadsheet rows that Arrow did not count
    ragged: list[tuple[int, int]] = []
    try:
        for number, row in enumerate(csv.reader(text), start=1):
            if number == 1:
                continue
            if not row:
                skipped.append(number)
            elif len(row) != width:
                skipped.append(number)
                ragged.append((number, len(row)))
    except csv.Error:
        skipped, ragged = [], []
    finally:
        text.detach()
    if skipped:
        for error in state.errors:
            row = error["row"]
            if row > 1:
                for number in skipped:
                    if number <= row:
                        row += 1
                error["row"] = row
    for number, cells in ragged:
        state.add(
            np.array([number]),
            FILE_COLUMN,
            _("This row has %(cells)d cells; the header has %(width)d.")
            % {"cells": cells, "width": width},
        )
    if state.ragged and not ragged:
        state.add(
            np.array([1]),
            FILE_COLUMN,
            _("Some rows have more or fewer cells than the header."),
        )


def _xlsx_blocks(handle: IO[bytes], state: _State) -> tuple[list[str], Iterator[pa.Table]]:
    """The header and the blocks of the first sheet. Every row is read, whatever the sheet's
    ``<dimension ref=…>`` declares (read-only mode trusts it; a stale one hid rows)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, ())
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError) as error:
        raise ReadError(str(error)) from error
    headers = [cell_text(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)

    def blocks() -> Iterator[pa.Table]:
        chunk: list[list[str]] = [[] for _ in range(width)]
        count = 0
        number = 1
        for row in rows:
            number += 1
            for index in range(width):
                chunk[index].append(cell_text(row[index]) if index < len(row) else "")
            if len(row) > width and any(v not in (None, "") for v in row[width:]):
                state.add(
                    np.array([number]),
                    f"#{width + 1}",
                    _("This row has values beyond the last column of the header."),
                )
            count += 1
            if count == XLSX_BLOCK_ROWS:
                yield pa.table({f"c{i}": pa.array(chunk[i], pa.string()) for i in range(width)})
                chunk, count = [[] for _ in range(width)], 0
        if count:
            yield pa.table({f"c{i}": pa.array(chunk[i], pa.string()) for i in range(width)})
        workbook.close()

    return headers, blocks()


@dataclass
class _Context:
    actor: User | None
    catalogue: Catalogue
    columns: dict[str, str]  # canonical -> header as written in the file
    default_market_id: int | None
    source: str
    synthetic: bool
    sha: str
    now: datetime


def _validate_block(table: pa.Table, offset: int, ctx: _Context, state: _State) -> pa.Table | None:
    """Check one block with the record rules (:mod:`zhizao.rapidtest.validation`) and, when it
    and every block before it are clean, return the columns to write (all but the batch's id,
    which exists only once the write begins)."""
    n = table.num_rows
    rownum = np.arange(offset + 2, offset + 2 + n, dtype=np.int64)
    start_errors = len(state.errors)
    rules = Rules(
        catalogue=ctx.catalogue,
        default_market_id=ctx.default_market_id,
        manual=ctx.source in MANUAL_SOURCES,
        now=ctx.now,
        headers=ctx.columns,
    )
    columns = {name: table.column(name).combine_chunks() for name in ctx.columns}
    checked = check_block(columns, rownum, rules, state.add)
    cols = checked.texts
    empty = {name: np_bool(pc.equal(cols[name], "")) for name in ("record_id",)}
    market_ids, product_ids, item_ids = checked.market_ids, checked.product_ids, checked.item_ids
    tested, passed = checked.tested, checked.passed

    # Record ids: the file's own, or one derived from the file's hash and row number.
    explicit = ~empty["record_id"]
    if explicit.any():
        keys = pc.binary_join_element_wise(
            pc.cast(pa.array(market_ids), pa.string()), cols["record_id"], "|"
        )
        state.explicit_keys.append(keys.filter(pa.array(explicit)))
        state.explicit_rows.append(rownum[explicit])
    generated = pc.binary_join_element_wise(
        pa.repeat(pa.scalar(f"f{ctx.sha[:16]}", pa.string()), n),
        pc.cast(pa.array(rownum), pa.string()),
        "-",
    )
    record_ids = pc.if_else(pa.array(explicit), cols["record_id"], generated)

    if len(state.errors) > start_errors or state.errors:
        return None
    # Local (Asia/Shanghai) month of each test, as months since January 2000.
    months = pc.subtract(pc.add(pc.multiply(pc.year(tested), 12), pc.month(tested)), 2000 * 12 + 1)
    _accumulate(state, market_ids, months, product_ids, item_ids, passed)
    user_id = ctx.actor.pk if ctx.actor is not None else None
    return pa.table(
        {
            "market_id": pa.array(market_ids, pa.int64()),
            "stall_id": checked.stall_ids,
            "product_id": pa.array(product_ids, pa.int64()),
            "item_id": pa.array(item_ids, pa.int64()),
            "origin": cols["origin"],
            "supplier": cols["supplier"],
            "batch_kg": checked.weights,
            "sampled_at": checked.sampled,
            "tested_at": tested,
            "tester_id": pa.repeat(pa.scalar(user_id, pa.int64()), n),
            "tester_name": cols["tester"],
            "instrument_id": cols["instrument_id"],
            "value": pa.array(checked.values, pa.float64()),
            "passed": pa.array(passed, pa.bool_()),
            "source": pa.repeat(pa.scalar(ctx.source, pa.string()), n),
            "client_record_id": record_ids,
            "entered_at": pa.repeat(pa.scalar(ctx.now, pa.timestamp("us", tz="UTC")), n),
            "photo": pa.repeat(pa.scalar("", pa.string()), n),
            "is_synthetic": pa.repeat(pa.scalar(ctx.synthetic, pa.bool_()), n),
        }
    )


def _accumulate(
    state: _State,
    market_ids: npt.NDArray[np.int64],
    months: pa.Array,
    product_ids: npt.NDArray[np.int64],
    item_ids: npt.NDArray[np.int64],
    passed: npt.NDArray[np.bool_],
) -> None:
    """Group one block's rows by rollup key (Arrow hash aggregation, no Python per row)."""
    block = pa.table(
        {
            "m": pa.array(market_ids, pa.int64()),
            "mo": pc.cast(months, pa.int64()),
            "p": pa.array(product_ids, pa.int64()),
            "i": pa.array(item_ids, pa.int64()),
            "t": pa.array(np.ones(len(passed), dtype=np.int64)),
            "f": pa.array((~passed).astype(np.int64)),
        }
    )
    grouped = block.group_by(["m", "mo", "p", "i"]).aggregate([("t", "sum"), ("f", "sum")])
    state.counts.append(grouped.rename_columns(["m", "mo", "p", "i", "t", "f"]))


RollupDeltas = tuple[npt.NDArray[np.int64], ...]


def _rollup_deltas(state: _State) -> RollupDeltas | None:
    """The whole import's counts per rollup key (market, month, product, item), summed over the
    blocks: computed before the write transaction, which only adds them."""
    if not state.counts:
        return None
    combined = pa.concat_tables(state.counts)
    grouped = combined.group_by(["m", "mo", "p", "i"]).aggregate([("t", "sum"), ("f", "sum")])
    return tuple(
        np.asarray(grouped.column(name).to_numpy(), dtype=np.int64)
        for name in ("m", "mo", "p", "i", "t_sum", "f_sum")
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


def _check_duplicates(state: _State, ctx: _Context) -> None:
    if not state.explicit_keys:
        return
    keys = pa.chunked_array(state.explicit_keys).combine_chunks()
    rows = np.concatenate(state.explicit_rows)
    encoded = pc.dictionary_encode(keys)
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    counts = np.bincount(indices)
    if (counts <= 1).all():
        return
    order = np.argsort(rows, kind="stable")
    seen: set[int] = set()
    dup_rows = []
    for position in order:
        index = int(indices[position])
        if counts[index] > 1:
            if index in seen:
                dup_rows.append(rows[position])
            seen.add(index)
    state.add(
        np.array(dup_rows, dtype=np.int64),
        ctx.columns.get("record_id", "record_id"),
        _("This record id appears earlier in the file."),
    )


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


FILE_COLUMN = "—"  # the column of an error about a whole row or the file
READ_ERRORS = (ValueError, UnicodeDecodeError, zipfile.BadZipFile, zlib.error, KeyError, OSError)


def _guarded(blocks: Iterator[pa.Table], state: _State) -> Iterator[pa.Table]:
    """The blocks, until the file turns out unreadable midway (a damaged zip, a quote never
    closed, bytes the encoding cannot decode): then an error on the row where it happened."""
    rows = 0
    try:
        for block in blocks:
            yield block
            rows += block.num_rows
    except READ_ERRORS as error:
        state.add(
            np.array([rows + 2]),
            FILE_COLUMN,
            _("The file cannot be read from this row on (%(reason)s).") % {"reason": error},
        )


_STORED_ID_ERRORS = (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)


def _refused(state: _State) -> Any:
    from zhizao.rapidtest.services import ImportOutcome

    state.errors.sort(key=lambda error: (error["row"], error["column"]))
    return ImportOutcome(None, state.rows, state.errors)


def _check_file(
    blocks: Iterator[pa.Table],
    index_of: dict[str, str],
    ctx: _Context,
    state: _State,
    spool: IO[bytes],
) -> None:
    """Step 1: check every block and, while every row so far is clean, spool the checked blocks
    (an Arrow IPC stream of the columns to write). No transaction is open: other connections
    write meanwhile."""
    writer: pa.ipc.RecordBatchStreamWriter | None = None
    schema: pa.Schema | None = None
    offset = 0
    for block in blocks:
        renamed = pa.table({c: block.column(index_of[c]) for c in ctx.columns})
        checked = _validate_block(renamed, offset, ctx, state)
        offset += block.num_rows
        if checked is None:
            continue
        if writer is None:
            schema = checked.schema
            writer = pa.ipc.new_stream(spool, schema)
        writer.write_table(checked if checked.schema == schema else checked.cast(schema))
    state.rows = offset + state.ragged
    if writer is not None:
        writer.close()


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


def _write_spooled(
    spool: IO[bytes], file_name: object, ctx: _Context, state: _State
) -> ImportBatch | None:
    """Step 2: write the checked rows, the batch, the rollups and the cases in one transaction
    (on SQLite the write lock is held from its start to its commit). ``None`` if the same file
    was imported since step 1 began."""
    vendor = connection.vendor
    deltas = _rollup_deltas(state)
    with _sqlite_cache(), transaction.atomic():
        if ImportBatch.objects.filter(sha256=ctx.sha, rows__gt=0).exists():
            return None
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
        _bump_rollups(deltas)
        _open_cases(batch, ctx.actor)
        batch.rows = state.rows
        batch.save(update_fields=["rows"])
    return batch


def _stored_id_rows(spool: IO[bytes]) -> list[int]:
    """Rows of the spooled (clean) file whose record id is already stored for their market."""
    rows: list[int] = []
    for offset, block in _spooled(spool):
        rows.extend(_existing_ids(pa.Table.from_batches([block]), offset))
    return rows


def run(
    actor: User | None,
    file: UploadedFile[Any] | IO[bytes] | str,
    *,
    file_name: str,
    allowed_markets: QuerySet[Organization],
    default_market: Organization | None,
    source: str,
    synthetic: bool,
) -> Any:
    from zhizao.rapidtest.services import ImportOutcome

    handle = _open(file)
    try:
        name = file_name or (file if isinstance(file, str) else getattr(file, "name", "")) or ""
        sha = _sha256(handle)
        previous = ImportBatch.objects.filter(sha256=sha, rows__gt=0).first()
        if previous is not None:
            return ImportOutcome(previous.pk, previous.rows, [], already_imported=True)
        magic = handle.read(4)
        handle.seek(0)
        is_xlsx = magic == b"PK\x03\x04" or str(name).lower().endswith(".xlsx")
        state = _State()
        encoding = "" if is_xlsx else text_encoding(handle)
        try:
            if encoding is None:
                raise ReadError(
                    _("The file is neither UTF-8 nor GB18030 (GBK) text: save it as CSV or XLSX.")
                )
            if is_xlsx:
                headers, blocks = _xlsx_blocks(handle, state)
            else:
                headers, blocks = _csv_blocks(handle, encoding, state)
        except ReadError as error:
            message = str(error) if encoding is None else _("This is not a readable XLSX file.")
            return ImportOutcome(None, 0, [{"row": 1, "column": FILE_COLUMN, "message": message}])
        mapping = _header_map()
        columns: dict[str, str] = {}
        for position, header_text in enumerate(headers):
            canonical = mapping.get(header_text.lower()) or mapping.get(header_text)
            if canonical is None:
                state.add(np.array([1]), header_text or f"#{position + 1}", _("Unknown column."))
            else:
                columns[canonical] = header_text
        for required in REQUIRED:
            if required not in columns:
                state.add(np.array([1]), COLUMNS[required][0], _("Required column is missing."))
        if state.errors:
            return ImportOutcome(None, 0, state.errors)
        if default_market is None and allowed_markets.count() == 1:
            default_market = allowed_markets.first()
        ctx = _Context(
            actor=actor,
            catalogue=Catalogue.load(allowed_markets),
            columns=columns,
            default_market_id=default_market.pk if default_market else None,
            source=source,
            synthetic=synthetic,
            sha=sha,
            now=timezone.now(),
        )
        index_of = {canonical: f"c{headers.index(text)}" for canonical, text in columns.items()}
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES) as spool:
            # 1. Check every row (no transaction, no lock), spooling the checked blocks.
            _check_file(_guarded(blocks, state), index_of, ctx, state, spool)
            _check_duplicates(state, ctx)
            if encoding and (state.errors or state.ragged):
                _renumber(state, handle, encoding, len(headers))
            if not state.errors and state.rows == 0:
                state.add(np.array([2]), COLUMNS["product"][0], _("The file has no rows."))
            if state.errors:
                return _refused(state)
            # 2. Write it all in one short transaction.
            try:
                batch = _write_spooled(spool, name, ctx, state)
            except _STORED_ID_ERRORS:
                state.add(
                    np.array(_stored_id_rows(spool), dtype=np.int64),
                    columns.get("record_id", "record_id"),
                    _("A record with this id is already stored for this market."),
                )
                if not state.errors:
                    raise  # neither a stored id nor a repeat in the file: unexpected
                if encoding:
                    _renumber(state, handle, encoding, len(headers))
                return _refused(state)
        if batch is None:  # the same file, imported meanwhile by someone else
            previous = ImportBatch.objects.filter(sha256=sha, rows__gt=0).first()
            assert previous is not None
            return ImportOutcome(previous.pk, previous.rows, [], already_imported=True)
        _refresh_planner_statistics(state.rows)
        return ImportOutcome(batch.pk, state.rows, [])
    finally:
        if isinstance(file, str) or handle is not file:
            handle.close()
