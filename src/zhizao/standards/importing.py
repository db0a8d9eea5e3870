"""Import standards from CSV or XLSX, all or nothing, every bad row and field listed.

A registry file has hundreds of rows, not millions: each row is checked by the record's own
validator (``Standard.full_clean``, which runs the code parser), so an imported standard can be
neither more nor less valid than one entered by hand. Rows whose code is already registered
update that edition. Succession and withdrawal go through the services after every row is in,
inside the same transaction; any problem rolls the whole file back.

Columns (English or Chinese header, any order; docs/standards.md):
code 标准编号*, title 标准名称*, title_en 英文名称, published_on 发布日期, implemented_on 实施日期,
revision 制定或修订, drafting_organizations 起草单位, led 主导单位, participated 参与单位,
superseded_by 被代替为, withdrawn_on 废止日期.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.core import permissions, tabular
from zhizao.core.actors import acting_as, system_actor
from zhizao.core.models import Organization, User
from zhizao.core.tabular import ImportProblem as ImportProblem  # re-exported: nqi, commands
from zhizao.core.tabular import ImportRefused as ImportRefused
from zhizao.core.tabular import formula_problem
from zhizao.core.validators import normalise_credit_code
from zhizao.standards import services
from zhizao.standards.choices import DraftingRole, Revision
from zhizao.standards.models import Standard
from zhizao.standards.validators import code_error_message
from zhizao.stdcodes import parse

# canonical column -> (English header, Chinese header)
COLUMNS: dict[str, tuple[str, str]] = {
    "code": ("code", "标准编号"),
    "title": ("title", "标准名称"),
    "title_en": ("title_en", "英文名称"),
    "published_on": ("published_on", "发布日期"),
    "implemented_on": ("implemented_on", "实施日期"),
    "revision": ("revision", "制定或修订"),
    "drafting_organizations": ("drafting_organizations", "起草单位"),
    "led": ("led", "主导单位"),
    "participated": ("participated", "参与单位"),
    "superseded_by": ("superseded_by", "被代替为"),
    "withdrawn_on": ("withdrawn_on", "废止日期"),
}
REQUIRED = ("code", "title")
MAX_ROWS = 10_000
REVISION_WORDS = {
    "new": Revision.NEW,
    "制定": Revision.NEW,
    "revision": Revision.REVISION,
    "修订": Revision.REVISION,
}
LIST_SEPARATORS = re.compile(r"[;；、,，\n]+")


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    drafters: int


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    standard: Standard | None = None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read(handle: IO[bytes], filename: str) -> Iterator[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook
        from openpyxl.utils import get_column_letter

        tabular.guard_workbook(handle)
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
            raise ImportRefused(
                [ImportProblem(0, "", _("The file is not a readable XLSX workbook."))]
            ) from error
        try:
            for line, row in enumerate(workbook.worksheets[0].iter_rows(), start=1):
                formula = next(
                    (i for i, c in enumerate(row, 1) if getattr(c, "data_type", "") == "f"), 0
                )
                if formula:
                    raise ImportRefused([formula_problem(line, get_column_letter(formula))])
                yield [_cell(cell.value) for cell in row]
        finally:
            workbook.close()
        return
    encoding = tabular.text_encoding(handle)
    if encoding is None:
        raise ImportRefused(
            [ImportProblem(0, "", _("The CSV file is neither UTF-8 nor GB18030 text."))]
        )
    text = io.TextIOWrapper(
        handle, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline=""
    )
    yield from tabular.csv_rows(text)


def _header_map(headers: Sequence[str]) -> tuple[dict[int, str], list[ImportProblem]]:
    names = {
        header.lower(): column for column, pair in COLUMNS.items() for header in pair if header
    }
    mapping: dict[int, str] = {}
    problems: list[ImportProblem] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = names.get(header.strip().lower())
        if column is None:
            accepted = "、".join(f"{zh} ({en})" for en, zh in COLUMNS.values())
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
    for column in REQUIRED:
        if column not in mapping.values():
            problems.append(
                ImportProblem(1, COLUMNS[column][1], _("This required column is missing."))
            )
    return mapping, problems


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    return dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))


def _organizations(
    text: str, actor: User | None, header: str, line: int, problems: list[ImportProblem]
) -> list[Organization]:
    found: list[Organization] = []
    for name in (part.strip() for part in LIST_SEPARATORS.split(text)):
        if not name:
            continue
        organization = (
            Organization.objects.filter(name=name).first()
            or Organization.objects.filter(credit_code=normalise_credit_code(name)).first()
        )
        if organization is None:
            problems.append(
                ImportProblem(
                    line,
                    header,
                    _("No registered organization is named %(name)s.") % {"name": name},
                )
            )
        elif actor is not None and not (
            permissions.staff_regions(actor).filter(pk=organization.region_id).exists()
        ):
            problems.append(
                ImportProblem(
                    line,
                    header,
                    _("%(name)s is outside your region.") % {"name": organization.name},
                )
            )
        else:
            found.append(organization)
    return found


def import_standards(
    actor: User | None, handle: IO[bytes], filename: str, *, is_synthetic: bool = False
) -> ImportSummary:
    """Import the file; raise :class:`ImportRefused` (nothing written) if any row is bad."""
    if actor is not None and not permissions.is_staff_user(actor):
        raise PermissionDenied(_("Only bureau staff keep the standards registry."))
    lines = _read(handle, filename)
    headers = next(lines, [])
    mapping, problems = _header_map(headers)
    if problems:
        raise ImportRefused(problems)
    header_of = {column: headers[index] for index, column in mapping.items()}
    rows: list[_Row] = []
    for line, cells in enumerate(lines, start=2):
        if not any(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportRefused(
                [ImportProblem(0, "", _("A file holds at most %(max)d rows.") % {"max": MAX_ROWS})]
            )
        values = {
            column: cells[index] if index < len(cells) else "" for index, column in mapping.items()
        }
        rows.append(_Row(line, values))
    if not rows:
        raise ImportRefused([ImportProblem(0, "", _("The file has no rows."))])

    with transaction.atomic():
        created = updated = drafters = 0
        seen: dict[str, int] = {}
        for row in rows:
            row_problems = len(problems)
            standard, is_new = _standard_of(row, header_of, seen, problems, is_synthetic)
            if standard is None or len(problems) > row_problems:
                continue
            try:
                if is_new:
                    standard.created_by = actor
                standard.full_clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    column = header_of.get(field, field)
                    problems.extend(ImportProblem(row.line, column, text) for text in messages)
                continue
            with acting_as(actor or system_actor()):
                standard.save()
            row.standard = standard
            created += is_new
            updated += not is_new
        for row in rows:
            if row.standard is None:
                continue
            for column, role in (
                ("led", DraftingRole.LED),
                ("participated", DraftingRole.PARTICIPATED),
            ):
                text = row.values.get(column, "")
                for organization in _organizations(
                    text, actor, header_of.get(column, column), row.line, problems
                ):
                    services.set_drafter(actor, row.standard, organization, role)
                    drafters += 1
            _succession(actor, row, header_of, problems)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda problem: problem.row))
    return ImportSummary(created=created, updated=updated, drafters=drafters)


def _standard_of(
    row: _Row,
    header_of: dict[str, str],
    seen: dict[str, int],
    problems: list[ImportProblem],
    is_synthetic: bool,
) -> tuple[Standard | None, bool]:
    values = row.values
    code_header = header_of["code"]
    parsed = parse(values["code"])
    if parsed.standard is None:
        assert parsed.error is not None
        problems.append(ImportProblem(row.line, code_header, code_error_message(parsed.error)))
        return None, False
    code = parsed.standard.code
    if code in seen:
        problems.append(
            ImportProblem(
                row.line,
                code_header,
                _("%(code)s is already on row %(row)d.") % {"code": code, "row": seen[code]},
            )
        )
        return None, False
    seen[code] = row.line
    standard = Standard.objects.filter(code=code).first()
    is_new = standard is None
    if standard is None:
        standard = Standard(code=code, is_synthetic=is_synthetic)
    for field in ("title", "title_en", "drafting_organizations"):
        if field in values:
            setattr(standard, field, values[field])
    for field in ("published_on", "implemented_on"):
        if field in values:
            try:
                setattr(standard, field, _date(values[field]))
            except ValueError:
                problems.append(
                    ImportProblem(row.line, header_of[field], _("Write the date as YYYY-MM-DD."))
                )
    if values.get("revision"):
        revision = REVISION_WORDS.get(values["revision"].strip().lower())
        if revision is None:
            problems.append(
                ImportProblem(
                    row.line, header_of["revision"], _("Write new (制定) or revision (修订).")
                )
            )
        else:
            standard.revision = revision
    return standard, is_new


def _succession(
    actor: User | None, row: _Row, header_of: dict[str, str], problems: list[ImportProblem]
) -> None:
    standard = row.standard
    assert standard is not None
    successor_code = row.values.get("superseded_by", "")
    withdrawn_text = row.values.get("withdrawn_on", "")
    if successor_code and withdrawn_text:
        problems.append(
            ImportProblem(
                row.line,
                header_of["withdrawn_on"],
                _("A standard is either superseded or withdrawn, not both."),
            )
        )
        return
    try:
        if successor_code:
            parsed = parse(successor_code)
            if parsed.error is not None:
                message = code_error_message(parsed.error)
                problems.append(ImportProblem(row.line, header_of["superseded_by"], message))
                return
            successor = Standard.objects.matching(successor_code).order_by("-year").first()
            if successor is None:
                problems.append(
                    ImportProblem(
                        row.line,
                        header_of["superseded_by"],
                        _("%(code)s is neither in the file nor registered.")
                        % {"code": successor_code},
                    )
                )
                return
            if standard.superseded_by_id != successor.pk:
                services.supersede_standard(actor, standard, successor)
        elif withdrawn_text:
            try:
                on = _date(withdrawn_text)
            except ValueError:
                problems.append(
                    ImportProblem(
                        row.line, header_of["withdrawn_on"], _("Write the date as YYYY-MM-DD.")
                    )
                )
                return
            assert on is not None
            if standard.withdrawn_on != on:
                services.withdraw_standard(actor, standard, on)
    except ValidationError as error:
        column = header_of["superseded_by" if successor_code else "withdrawn_on"]
        problems.extend(ImportProblem(row.line, column, text) for text in error.messages)
