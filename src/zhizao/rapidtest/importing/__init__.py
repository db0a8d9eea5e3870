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

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import pyarrow as pa
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.models import Organization, User
from zhizao.rapidtest.importing.checking import (
    RollupDeltas,
    _accumulate,
    _check_batches,
    _check_duplicates,
    _check_file,
    _column,
    _validate_block,
)
from zhizao.rapidtest.importing.readers import (
    CSV_BLOCK_BYTES,
    CSV_ENCODINGS,
    FILE_COLUMN,
    READ_ERRORS,
    XLSX_BLOCK_ROWS,
    ReadError,
    _cell,
    _csv_blocks,
    _guarded,
    _header_map,
    _open,
    _renumber,
    _sha256,
    _text_encoding,
    _xlsx_blocks,
    template_headers,
)
from zhizao.rapidtest.importing.state import MAX_ERRORS, _Context, _State
from zhizao.rapidtest.importing.writers import (
    _STORED_ID_ERRORS,
    ANALYZE_AFTER_ROWS,
    CONSTANT_COLUMNS,
    INSERT_COLUMNS,
    SQLITE_IMPORT_CACHE_KIB,
    STORED_SAMPLE_SQL,
    VARYING_COLUMNS,
    _bump_rollups,
    _existing_ids,
    _open_cases,
    _payload,
    _Prefetch,
    _refresh_planner_statistics,
    _spooled,
    _sqlite_cache,
    _sqlite_insert,
    _sqlite_literal,
    _stored_id_rows,
    _stored_sample_rows,
    _StoredSample,
    _write,
    _write_spooled,
)
from zhizao.rapidtest.models import ImportBatch
from zhizao.rapidtest.validation import COLUMNS, REQUIRED, Catalogue

SPOOL_IN_MEMORY_BYTES = 32 << 20  # checked blocks up to this size stay in memory


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: the batch written (or the one that had the same file), the rows,
    and every bad cell (row, column, message) when nothing was written."""

    batch_id: int | None
    rows: int
    errors: list[dict[str, Any]]
    already_imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _refused(state: _State) -> ImportOutcome:
    state.errors.sort(key=lambda error: (error["row"], error["column"]))
    return ImportOutcome(None, state.rows, state.errors)


def _reporting(blocks: Iterator[pa.Table], progress: Callable[..., None]) -> Iterator[pa.Table]:
    """The blocks, telling ``progress`` the rows read (this block) and validated (the ones
    before it: a block is checked before the next is read)."""
    rows = 0
    for block in blocks:
        progress(read=rows + block.num_rows, validated=rows)
        yield block
        rows += block.num_rows
    progress(read=rows, validated=rows)


def run(
    actor: User | None,
    file: UploadedFile[Any] | IO[bytes] | str,
    *,
    file_name: str,
    allowed_markets: QuerySet[Organization],
    default_market: Organization | None,
    source: str,
    synthetic: bool,
    progress: Callable[..., None] | None = None,
) -> ImportOutcome:
    """``progress``, if given, is called as ``progress(read=, validated=, written=)`` (row
    counts) while the file is checked and once the rows are written (background jobs)."""
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
        encoding = "" if is_xlsx else _text_encoding(handle)
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
            if progress is not None:
                blocks = _reporting(blocks, progress)
            _check_file(_guarded(blocks, state), index_of, ctx, state, spool)
            _check_duplicates(state, ctx)
            deltas = None if state.errors else _check_batches(state, ctx)
            if encoding and (state.errors or state.ragged):
                _renumber(state, handle, encoding, len(headers))
            if not state.errors and state.rows == 0:
                state.add(np.array([2]), COLUMNS["product"][0], _("The file has no rows."))
            if state.errors:
                return _refused(state)
            # 2. Write it all in one short transaction.
            try:
                batch = _write_spooled(spool, name, ctx, state, deltas)
            except _StoredSample:
                state.add(
                    np.array(_stored_sample_rows(spool), dtype=np.int64),
                    columns.get("sample_code", COLUMNS["sample_code"][0]),
                    _(
                        "A sample with this code is already stored for this market: a file "
                        "holds its samples whole."
                    ),
                )
                if encoding:
                    _renumber(state, handle, encoding, len(headers))
                return _refused(state)
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
        if progress is not None:
            progress(read=state.rows, validated=state.rows, written=state.rows)
        return ImportOutcome(batch.pk, state.rows, [])
    finally:
        if isinstance(file, str) or handle is not file:
            handle.close()


__all__ = [
    "ANALYZE_AFTER_ROWS",
    "CONSTANT_COLUMNS",
    "CSV_BLOCK_BYTES",
    "CSV_ENCODINGS",
    "FILE_COLUMN",
    "INSERT_COLUMNS",
    "MAX_ERRORS",
    "READ_ERRORS",
    "SPOOL_IN_MEMORY_BYTES",
    "SQLITE_IMPORT_CACHE_KIB",
    "STORED_SAMPLE_SQL",
    "VARYING_COLUMNS",
    "XLSX_BLOCK_ROWS",
    "_STORED_ID_ERRORS",
    "ImportOutcome",
    "ReadError",
    "RollupDeltas",
    "_Context",
    "_Prefetch",
    "_State",
    "_StoredSample",
    "_accumulate",
    "_bump_rollups",
    "_cell",
    "_check_batches",
    "_check_duplicates",
    "_check_file",
    "_column",
    "_csv_blocks",
    "_existing_ids",
    "_guarded",
    "_header_map",
    "_open",
    "_open_cases",
    "_payload",
    "_refresh_planner_statistics",
    "_refused",
    "_renumber",
    "_sha256",
    "_spooled",
    "_sqlite_cache",
    "_sqlite_insert",
    "_sqlite_literal",
    "_stored_id_rows",
    "_stored_sample_rows",
    "_text_encoding",
    "_validate_block",
    "_write",
    "_write_spooled",
    "_xlsx_blocks",
    "run",
    "template_headers",
]
