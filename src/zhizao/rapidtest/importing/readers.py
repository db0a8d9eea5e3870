"""Readers of an import file: the encoding of a CSV, its blocks (Arrow), an XLSX sheet's blocks,
the template's headers, and the row numbers a spreadsheet shows."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from zhizao.rapidtest.importing.state import _State
from zhizao.rapidtest.validation import (
    COLUMNS,
)

CSV_BLOCK_BYTES = 4 << 20
XLSX_BLOCK_ROWS = 20_000


def template_headers(language: str) -> list[str]:
    index = 1 if language.startswith("zh") else 0
    return [str(spec[index]) for spec in COLUMNS.values()]


def _header_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, (english, chinese, _length) in COLUMNS.items():
        mapping[english.lower()] = canonical
        mapping[chinese] = canonical
    return mapping


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


CSV_ENCODINGS = ("utf-8", "gb18030")  # Excel on Chinese Windows saves CSV as GBK (⊂ GB18030)


def _text_encoding(handle: IO[bytes]) -> str | None:
    """The encoding of a CSV file: strict UTF-8 (with or without a byte-order mark) if the
    whole file decodes as UTF-8, else GB18030 if it decodes as that, else None. Streamed."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            handle.seek(0)
        return encoding
    return None


class ReadError(Exception):
    """The file cannot be read (not CSV text in a known encoding, not a valid workbook)."""


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


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
    headers = [_cell(v).strip() for v in header_row]
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
                chunk[index].append(_cell(row[index]) if index < len(row) else "")
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
