"""The evidence pack (考核材料包): one ZIP per assessment, reproducible byte for byte.

Layout::

    index.pdf                              every item: number, title, points, self-score, the
                                           figures (value, unit, records), the files
    <number> <title>/                      one folder per item
    <number> <title>/records.xlsx          the records behind the item's figures, one sheet
                                           per figure (columns: the indicator's drill-down)
    <number> <title>/documents/<name>      the item's attached documents

The same snapshot gives the same bytes: every ZIP entry (the pack's, and those inside each
XLSX) is dated the snapshot's computation time, entries are written in item and figure order,
records are sorted by the indicator's order and then by primary key, the workbooks' created and
modified properties are the snapshot's time, and the PDF carries that time as its creation
and modification date. What can still change the bytes: the records themselves (the pack reads
them live; the index says when a count differs from the snapshot's), and the versions of
WeasyPrint, openpyxl and the font.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from zhizao.assessment.choices import DEMO_LABEL_EN, DEMO_LABEL_ZH, SHEET_MAX_ROWS
from zhizao.assessment.evidence import FigureEvidence, ItemEvidence, item_evidence, totals
from zhizao.assessment.models import Assessment
from zhizao.core.exports import safe_row

PACK_LANGUAGE = "zh-hans"
FILE_MODE = 0o644 << 16
DIRECTORY_MODE = (0o40755 << 16) | 0x10
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")

Progress = Callable[[int], None]  # records written so far


class ReproducibleZipFile(zipfile.ZipFile):
    """A ZIP whose every entry carries one fixed date and fixed permissions, whatever the
    clock and the files' own times say (openpyxl writes its parts through ``writestr`` and
    ``write``, both end here)."""

    def __init__(self, file: Any, mode: str = "r", *, date_time: tuple[int, ...], **kwargs: Any):
        kwargs.setdefault("compression", zipfile.ZIP_DEFLATED)
        kwargs.setdefault("allowZip64", True)
        super().__init__(file, mode, **kwargs)  # type: ignore[call-overload]
        self.fixed_date_time = date_time

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.fixed_date_time)  # type: ignore[arg-type]
        info.compress_type = self.compression
        info.external_attr = DIRECTORY_MODE if name.endswith("/") else FILE_MODE
        info.create_system = 3  # Unix, so the modes mean the same everywhere
        return info

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: bytes | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        super().writestr(self._info(name), data)

    def write(  # type: ignore[override]
        self,
        filename: Any,
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = arcname or Path(filename).name
        with open(filename, "rb") as source, self.open(self._info(name), "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)

    def write_stream(self, name: str, source: IO[bytes]) -> None:
        with self.open(self._info(name), "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)


def fixed_time(assessment: Assessment) -> dt.datetime:
    """The time every file of the pack is dated: when its snapshot was computed (local time)."""
    moment = assessment.snapshot.computed_at or assessment.snapshot.created_at
    return timezone.localtime(moment).replace(microsecond=0)


def _zip_date(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    moment = max(moment, moment.replace(year=1980, month=1, day=1, hour=0, minute=0, second=0))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def safe_name(text: str, limit: int = 60) -> str:
    """A file or folder name that every unzip tool accepts (no separators, no control
    characters), at most ``limit`` characters."""
    cleaned = _UNSAFE.sub("_", text).strip(" .")
    return cleaned[:limit] or "_"


def item_folder(row: ItemEvidence) -> str:
    return safe_name(f"{row.item.number} {row.item.title_zh}")


def ordered_records(evidence: FigureEvidence, assessment: Assessment) -> QuerySet[Any]:
    """The figure's drill-down records (exactly those the drill-down page lists) in the
    indicator's order, then by primary key, so two builds list them alike."""
    indicator = evidence.indicator
    assert indicator is not None
    snapshot = assessment.snapshot
    records = indicator.records(snapshot.region, snapshot.year)
    if indicator.select_related:
        records = records.select_related(*indicator.select_related)
    ordering = list(records.query.order_by or records.model._meta.ordering or [])
    return records.order_by(*ordering, "pk")


def _cell(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, str | int | float | Decimal | dt.date | dt.time):
        return value
    return str(value)


def _sheet_title(index: int, code: str, part: int, used: set[str]) -> str:
    base = f"{index}" if part == 1 else f"{index}-{part}"
    title = _SHEET_UNSAFE.sub("_", f"{base} {code}")[:31]
    while title in used:
        title = title[:-1] + "~"
    used.add(title)
    return title


def write_records_xlsx(
    path: Path,
    assessment: Assessment,
    figures_: list[FigureEvidence],
    moment: dt.datetime,
    progress: Progress,
    written: int,
) -> tuple[int, dict[str, int]]:
    """The item's workbook: one sheet per figure (continued on further sheets past Excel's
    row limit), header = the indicator's drill-down columns. Returns the records written in
    total so far and per figure code."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    naive = moment.replace(tzinfo=None)
    workbook.properties.created = naive
    workbook.properties.modified = naive
    workbook.properties.creator = "Zhizao"
    used: set[str] = set()
    counts: dict[str, int] = {}
    for index, evidence in enumerate(figures_, start=1):
        indicator = evidence.indicator
        if indicator is None:
            continue
        header = [str(column.heading) for column in indicator.columns]
        part, rows_in_sheet, count = 1, 0, 0
        sheet = workbook.create_sheet(_sheet_title(index, evidence.code, part, used))
        sheet.append(header)
        for record in ordered_records(evidence, assessment).iterator(chunk_size=2000):
            if rows_in_sheet == SHEET_MAX_ROWS:
                part += 1
                rows_in_sheet = 0
                sheet = workbook.create_sheet(_sheet_title(index, evidence.code, part, used))
                sheet.append(header)
            sheet.append(
                safe_row([_cell(column.of(record)) for column in indicator.columns], xlsx=True)
            )
            rows_in_sheet += 1
            count += 1
            if count % 5000 == 0:
                progress(written + count)
        counts[evidence.code] = count
        written += count
        progress(written)
    if not used:
        workbook.create_sheet("-")
    archive = ReproducibleZipFile(path, "w", date_time=_zip_date(moment))
    ExcelWriter(workbook, archive).save()  # closes the archive
    return written, counts


@dataclass
class PackSummary:
    items: int = 0
    figures: int = 0
    records: int = 0
    documents: int = 0
    files: list[str] = field(default_factory=list)
    record_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # folder → code → n


def index_pdf(
    assessment: Assessment,
    rows: list[ItemEvidence],
    moment: dt.datetime,
    record_counts: dict[str, dict[str, int]],
) -> bytes:
    """The pack's index (WeasyPrint, the WenQuanYi CJK font), dated ``moment``."""
    from weasyprint import HTML  # lazily: loads system libraries

    points, score = totals(rows)
    html = render_to_string(
        "assessment/index_pdf.html",
        {
            "assessment": assessment,
            "template": assessment.template,
            "snapshot": assessment.snapshot,
            "rows": [
                {
                    "row": row,
                    "folder": item_folder(row),
                    "figures": [
                        {
                            "evidence": evidence,
                            "written": record_counts.get(item_folder(row), {}).get(evidence.code),
                        }
                        for evidence in row.figures
                    ],
                }
                for row in rows
            ],
            "points": points,
            "score": score,
            "moment": moment,
            "demo_label": (DEMO_LABEL_ZH, DEMO_LABEL_EN),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def build_pack(
    assessment: Assessment, output: IO[bytes], progress: Progress | None = None
) -> PackSummary:
    """Write the evidence pack of ``assessment`` into ``output`` (see the module docstring).
    The pack is for the province: always in Chinese (item titles in both languages), so that
    who builds it, and in which language they browse, does not change its bytes."""
    with translation.override(PACK_LANGUAGE):
        return _build_pack(assessment, output, progress)


def _build_pack(
    assessment: Assessment, output: IO[bytes], progress: Progress | None
) -> PackSummary:
    report = progress or (lambda written: None)
    moment = fixed_time(assessment)
    rows = item_evidence(assessment)
    summary = PackSummary(items=len(rows))
    entries: list[tuple[str, Path | None]] = []
    with tempfile.TemporaryDirectory(prefix="zhizao-pack-") as scratch:
        written = 0
        for number, row in enumerate(rows):
            folder = item_folder(row)
            entries.append((f"{folder}/", None))
            known = [evidence for evidence in row.figures if evidence.indicator is not None]
            if known:
                path = Path(scratch) / f"{number}.xlsx"
                written, counts = write_records_xlsx(
                    path, assessment, known, moment, report, written
                )
                summary.record_counts[folder] = counts
                summary.figures += len(known)
                entries.append((f"{folder}/records.xlsx", path))
        summary.records = written
        pdf = Path(scratch) / "index.pdf"
        pdf.write_bytes(index_pdf(assessment, rows, moment, summary.record_counts))
        with ReproducibleZipFile(output, "w", date_time=_zip_date(moment)) as archive:
            archive.write(str(pdf), "index.pdf")
            summary.files.append("index.pdf")
            by_folder: dict[str, list[tuple[str, Path | None]]] = {}
            for name, part in entries:
                by_folder.setdefault(name.split("/", 1)[0], []).append((name, part))
            for row in rows:
                folder = item_folder(row)
                for name, part in by_folder.get(folder, []):
                    if part is None:
                        archive.writestr(name, b"")
                    else:
                        archive.write(str(part), name)
                    summary.files.append(name)
                seen: set[str] = set()
                for position, document in enumerate(row.documents, start=1):
                    file_name = safe_name(document.original_name, 120)
                    if file_name in seen:
                        file_name = f"{position}-{file_name}"
                    seen.add(file_name)
                    name = f"{folder}/documents/{file_name}"
                    with document.file.open("rb") as source:
                        archive.write_stream(name, source)
                    summary.files.append(name)
                    summary.documents += 1
    return summary


def pack_name(assessment: Assessment) -> str:
    return f"evidence-pack-{assessment.region.code or assessment.region.pk}-{assessment.year}.zip"
