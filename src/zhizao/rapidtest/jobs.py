"""Rapid testing's background jobs (core.jobs): the records export and the upload, when they are
too large for a request (docs/rapidtest.md, "Large exports and uploads").

- **Export**: more than :data:`EXPORT_SYNC_MAX_ROWS` records (counted exactly, from the rollups
  where the filters allow) go to a job. It streams the records along the list's own query
  (``iterator``: constant memory) into a CSV (UTF-8 with BOM) or an XLSX written by openpyxl's
  write-only workbook, in sheets of at most :data:`XLSX_SHEET_ROWS` records (Excel's limit is
  1,048,576 rows, header included). An XLSX opens with a sheet saying what it holds (filters,
  record count, when and by whom); the job page says the same for either format.
- **Import**: a file of more than :data:`IMPORT_SYNC_MAX_ROWS` rows (estimated from the file:
  lines of a CSV, the sheet's dimension of an XLSX) goes to a job that calls the one import
  service, still all-or-nothing, reporting rows read and validated as it goes and the rows
  written when the single write transaction commits; its page lists every error.
"""

from __future__ import annotations

import csv
import os
import tempfile
import zipfile
from collections.abc import Mapping
from typing import IO, Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.core import jobs
from zhizao.core.exports import safe_row
from zhizao.core.filters import active_filters
from zhizao.core.models import Job, User
from zhizao.rapidtest import permissions, services

EXPORT_SYNC_MAX_ROWS = 20_000
IMPORT_SYNC_MAX_ROWS = 2_000
XLSX_SHEET_ROWS = 1_048_575  # data rows per sheet: Excel's 1,048,576 rows less the header
EXPORT, IMPORT = "rapidtest.export", "rapidtest.import"
PROGRESS_EVERY = 1_000  # rows between progress reports (Progress writes at most twice a second)


def filter_query(filters: Mapping[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        query[name] = str(value)
    return query


def describe_filters(user: User, filters: Mapping[str, Any]) -> list[str]:
    """The active filters as "label: value" lines, in the active language (the chips' text)."""
    from zhizao.rapidtest.forms import RecordFilterForm

    query = filter_query(filters)
    form = RecordFilterForm(query, markets=permissions.private_markets(user))
    chips = active_filters(form, query)
    lines = [
        _("%(label)s: %(value)s") % {"label": chip.label, "value": chip.value} for chip in chips
    ]
    shown = {chip.name for chip in chips}
    for name in ("year", "ids"):  # drill-down filters the form has no field for
        if filters.get(name) and name not in shown:
            lines.append(_("%(label)s: %(value)s") % {"label": name, "value": filters[name]})
    return lines


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _records(user: User, filters: Mapping[str, Any]) -> tuple[Any, int]:
    from zhizao.rapidtest.filters import (
        filter_records,
        readable_times,
        rollup_count,
        scoped_records,
    )

    market_ids = list(permissions.private_markets(user).values_list("pk", flat=True))
    queryset = readable_times(filter_records(scoped_records(market_ids), filters)).select_related(
        "market", "product", "item", "stall"
    )
    count = rollup_count(market_ids, filters)
    return queryset, queryset.count() if count is None else count


def count_records(user: User, filters: Mapping[str, Any]) -> int:
    return _records(user, filters)[1]


def _may_export(user: User, params: Mapping[str, Any]) -> bool:
    return permissions.private_markets(user).exists() and params.get("format") in ("csv", "xlsx")


def _may_import(user: User, params: Mapping[str, Any]) -> bool:
    return permissions.private_markets(user).exists()


def export_records(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    """The job's records (the owner's markets, as they are now, with the job's filters) into a
    CSV or XLSX file (see the module's docstring)."""
    from zhizao.rapidtest.filters import with_readable_times
    from zhizao.rapidtest.views import _choice_labels, _record_row, record_headers

    owner, filters, kind = job.owner, dict(job.params.get("filters", {})), job.params["format"]
    if not permissions.private_markets(owner).exists():
        return jobs.Outcome(errors=[{"row": "", "column": "", "message": _("Not allowed.")}])
    queryset, expected = _records(owner, filters)
    progress.total(expected)
    started = timezone.localtime()
    headers, labels = record_headers(), _choice_labels()
    handle, path = tempfile.mkstemp(suffix=f".{kind}")
    os.close(handle)
    rows = 0
    records = with_readable_times(queryset.iterator(chunk_size=5000))
    if kind == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(safe_row(headers))
            for record in records:
                writer.writerow(safe_row(_record_row(record, labels)))
                rows += 1
                if rows % PROGRESS_EVERY == 0:
                    progress(read=rows, written=rows)
        sheets = 0
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        about = workbook.create_sheet(_("About this file")[:31])
        sheet, sheets = None, 0
        for record in records:
            if sheet is None or rows % XLSX_SHEET_ROWS == 0:
                sheets += 1
                sheet = workbook.create_sheet((_("Records %(n)d") % {"n": sheets})[:31])
                sheet.append(safe_row(headers, xlsx=True))
            sheet.append(safe_row(_record_row(record, labels), xlsx=True))
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                progress(read=rows, written=rows)
        if sheet is None:  # no records: still a sheet with the header row
            sheets = 1
            workbook.create_sheet(_("Records %(n)d") % {"n": 1}).append(
                safe_row(headers, xlsx=True)
            )
    progress(read=rows, written=rows)
    progress.flush()
    lines = _export_lines(owner, filters, rows, started, sheets)
    if kind == "xlsx":
        for line in lines:
            about.append(safe_row([line], xlsx=True))
        workbook.save(path)
    name = f"rapidtest-records-{started:%Y%m%d-%H%M}-{rows}.{kind}"
    return jobs.Outcome(path=path, name=name, summary={"lines": lines, "rows": rows})


def _export_lines(
    owner: User, filters: Mapping[str, Any], rows: int, started: Any, sheets: int
) -> list[str]:
    described = describe_filters(owner, filters)
    lines = [
        _("Test records of the markets %(user)s may read, as they stood at %(time)s.")
        % {"user": owner.get_username(), "time": f"{started:%Y-%m-%d %H:%M:%S %Z}"},
        _("Filters: %(filters)s") % {"filters": "; ".join(described)}
        if described
        else _("Filters: none (every record)"),
        _("Records: %(n)s") % {"n": _number(rows)},
    ]
    if sheets > 1:
        lines.append(
            _("In %(sheets)d sheets of at most %(rows)s records each.")
            % {"sheets": sheets, "rows": _number(XLSX_SHEET_ROWS)}
        )
    return lines


def estimate_rows(handle: IO[bytes], name: str, *, stop_after: int | None = None) -> int | None:
    """Data rows in an upload, estimated without parsing it: a CSV's lines less the header (a
    quoted cell with a line break counts twice), an XLSX's sheet dimension (None if the
    workbook does not state one; 0 if it is no workbook at all, which the import refuses at
    once). ``stop_after``: stop counting a CSV's lines past this many rows (the request only
    asks whether a file is large; the job counts them all). The file is left at its start."""
    try:
        handle.seek(0)
        magic = handle.read(4)
        handle.seek(0)
        if magic == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
            from openpyxl import load_workbook

            try:
                sheet = load_workbook(handle, read_only=True).active
                rows = sheet.max_row if sheet is not None else None
            except (zipfile.BadZipFile, KeyError, ValueError, OSError):
                return 0
            return None if rows is None else max(0, rows - 1)
        lines = 0
        last = b"\n"
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
            if stop_after is not None and lines > stop_after + 1:
                break
        return max(0, lines + (last != b"\n") - 1)
    finally:
        handle.seek(0)


def import_records(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    """The job's uploaded file through the one import service (all or nothing)."""
    name = str(job.params.get("file_name") or "upload")
    with job.source.open("rb") as handle:
        progress.total(estimate_rows(handle, name))
        outcome = services.import_test_records(job.owner, handle, file_name=name, progress=progress)
    if not outcome.ok:
        return jobs.Outcome(summary={"lines": [name]}, errors=outcome.errors)
    if outcome.already_imported:
        lines = [name, _("This file was already imported; nothing new was saved.")]
    else:
        lines = [name, _("Imported %(n)s rows.") % {"n": _number(outcome.rows)}]
    return jobs.Outcome(
        summary={
            "lines": lines,
            "rows": outcome.rows,
            "link": reverse("rapidtest:records"),
            "link_label": _("Test records"),
        }
    )


def register() -> None:
    jobs.register(
        jobs.JobKind(
            EXPORT,
            gettext_lazy("Test records export"),
            _may_export,
            export_records,
            counters=("read", "written"),
        )
    )
    jobs.register(
        jobs.JobKind(IMPORT, gettext_lazy("Test records upload"), _may_import, import_records)
    )
