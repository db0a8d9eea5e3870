"""Reading uploaded tables (CSV or XLSX) for the importers: the file's text encoding, a cell as
text, and the rows of a small file with their line numbers. The rapid-test importer streams
millions of rows in Arrow blocks and uses only the first two; importers of files with
thousands of rows (supervision sampling) read rows with :func:`read_rows`.

Import problems are reported per row and column (:class:`ImportProblem`); an importer that
finds any raises :class:`ImportRefused` and writes nothing."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.utils.translation import gettext as _

CSV_ENCODINGS = ("utf-8", "gb18030")  # Excel on Chinese Windows saves CSV as GBK (⊂ GB18030)
# An XLSX file is a zip: refuse one whose members would unpack to more than this, or that packs
# more than MAX_XLSX_RATIO times (a zip bomb), before any XML of it is parsed.
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit of a cell


def text_encoding(handle: IO[bytes]) -> str | None:
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


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person typed (1.0 → "1", a datetime to the second)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class ImportProblem:
    row: int
    """Line of the file (the header is row 1); 0 for the file as a whole."""
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRefused(Exception):
    """Nothing was written; ``problems`` lists every bad row and field."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems[:5]))


def guard_workbook(handle: IO[bytes]) -> None:
    """Refuse an XLSX file that would unpack to more than ``MAX_XLSX_UNPACKED_BYTES`` or whose
    members pack more than ``MAX_XLSX_RATIO`` times (a zip bomb), from the zip's directory
    alone; a file that is no zip is left to the workbook reader's own error."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    finally:
        handle.seek(0)
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES or unpacked > MAX_XLSX_RATIO * max(packed, 1024):
        raise ImportRefused(
            [
                ImportProblem(
                    0,
                    "",
                    _(
                        "The workbook would unpack to %(mb)d MB: it is refused as a possible "
                        "zip bomb. Save its data as CSV, or split it."
                    )
                    % {"mb": unpacked // (1024 * 1024)},
                )
            ]
        )


def csv_rows(text: IO[str]) -> Iterator[list[str]]:
    """The stripped cells of each row of a CSV text; a cell too long to be a value (over
    ``MAX_CELL_CHARACTERS``) or broken quoting is refused with its line."""
    reader = csv.reader(text)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = reader.line_num
            raise ImportRefused(
                [
                    ImportProblem(
                        line,
                        "",
                        _("This line cannot be read as CSV (a cell too long or a stray quote)."),
                    )
                ]
            ) from error
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in row):
            raise ImportRefused(
                [
                    ImportProblem(
                        reader.line_num,
                        "",
                        _("A cell holds more than %(n)d characters.") % {"n": MAX_CELL_CHARACTERS},
                    )
                ]
            )
        yield [cell.strip() for cell in row]


def formula_problem(line: int, column: str) -> ImportProblem:
    return ImportProblem(
        line,
        column,
        _("This cell holds a formula: paste its value instead (formulas are not imported)."),
    )


def read_rows(handle: IO[bytes], filename: str, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of every row of the first sheet of an XLSX file or of a CSV file (UTF-8
    or GB18030), the header as line 1; stripped cells. Raises :class:`ImportRefused` for a file
    that cannot be read or has more than ``max_rows`` rows below the header."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(handle)
    else:
        encoding = text_encoding(handle)
        if encoding is None:
            raise ImportRefused(
                [ImportProblem(0, "", _("The CSV file is neither UTF-8 nor GB18030 text."))]
            )
        text = io.TextIOWrapper(handle, encoding="utf-8-sig" if encoding == "utf-8" else encoding)
        rows = csv_rows(text)
    for line, cells in enumerate(rows, start=1):
        if line > max_rows + 1:
            raise ImportRefused(
                [ImportProblem(0, "", _("The file has more than %(n)d rows.") % {"n": max_rows})]
            )
        yield line, cells


def _xlsx_rows(handle: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    guard_workbook(handle)
    try:
        # Not data_only: a formula cell must be seen as one (and refused), not read as its
        # cached value or as empty.
        workbook = load_workbook(handle, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError) as error:
        raise ImportRefused(
            [ImportProblem(0, "", _("The file is not a readable XLSX workbook."))]
        ) from error
    try:
        for line, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for index, cell in enumerate(row, start=1):
                if getattr(cell, "data_type", None) == "f":
                    raise ImportRefused([formula_problem(line, get_column_letter(index))])
                cells.append(cell_text(cell.value).strip())
            yield cells
    finally:
        workbook.close()


def map_headers(
    headers: Sequence[str], columns: Mapping[str, tuple[str, str]], required: Sequence[str]
) -> tuple[dict[int, str], list[ImportProblem]]:
    """Column index → canonical name, from a header row in English or Chinese (``columns``:
    canonical → (English, Chinese)), with the problems of the header row."""
    names = {header.lower(): column for column, pair in columns.items() for header in pair}
    mapping: dict[int, str] = {}
    problems: list[ImportProblem] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = names.get(header.strip().lower())
        if column is None:
            accepted = "、".join(f"{zh} ({en})" for en, zh in columns.values())
            problems.append(
                ImportProblem(
                    1,
                    header,
                    _("Unknown column; the columns are %(columns)s.") % {"columns": accepted},
                )
            )
        elif column in mapping.values():
            problems.append(ImportProblem(1, header, _("This column appears twice.")))
        else:
            mapping[index] = column
    for column in required:
        if column not in mapping.values():
            problems.append(
                ImportProblem(1, columns[column][1], _("This required column is missing."))
            )
    return mapping, problems
