"""Import accreditations and their scope lines from CSV or XLSX, all or nothing, every bad row
and field listed (the reading, dates and problem reports are the standards import's,
``zhizao.standards.importing``).

One row per scope line; the rows that share a body, scheme and number are one accreditation,
recorded through :func:`zhizao.nqi.services.add_accreditation` (so an imported accreditation
is checked exactly like one entered by hand: number format per scheme, validity, each scope
line's standard code parsed). The body must be registered already.

Columns (English or Chinese header, any order; docs/nqi.md):
organization 机构* (name or credit code), scheme 认可类型* (cnas_lab, cnas_inspection,
cnas_certification, cma or their Chinese names), number 证书编号*, valid_from 发证日期*,
valid_until 有效期至*, product_category 产品类别, parameter 检测参数, standard_code 标准编号.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.core import permissions
from zhizao.core.actors import system_actor
from zhizao.core.models import Organization, User
from zhizao.core.validators import normalise_credit_code
from zhizao.nqi import services
from zhizao.nqi.choices import Scheme
from zhizao.nqi.models import QualityBody
from zhizao.standards.importing import ImportProblem, ImportRefused, _date, _read

COLUMNS: dict[str, tuple[str, str]] = {
    "organization": ("organization", "机构"),
    "scheme": ("scheme", "认可类型"),
    "number": ("number", "证书编号"),
    "valid_from": ("valid_from", "发证日期"),
    "valid_until": ("valid_until", "有效期至"),
    "product_category": ("product_category", "产品类别"),
    "parameter": ("parameter", "检测参数"),
    "standard_code": ("standard_code", "标准编号"),
}
REQUIRED = ("organization", "scheme", "number", "valid_from", "valid_until")
SCOPE = ("product_category", "parameter", "standard_code")
MAX_ROWS = 10_000
SCHEME_WORDS = {
    **{value: value for value in Scheme.values},
    "cnas 实验室认可": Scheme.CNAS_LAB,
    "实验室认可": Scheme.CNAS_LAB,
    "检验机构认可": Scheme.CNAS_INSPECTION,
    "认证机构认可": Scheme.CNAS_CERTIFICATION,
    "资质认定": Scheme.CMA,
    "cma": Scheme.CMA,
}


@dataclass(frozen=True)
class AccreditationSummary:
    accreditations: int
    scope_lines: int


@dataclass
class _Group:
    body: QualityBody
    data: dict[str, Any]
    lines: list[int] = field(default_factory=list)
    scope: list[dict[str, str]] = field(default_factory=list)


def _header_map(headers: Sequence[str]) -> tuple[dict[int, str], list[ImportProblem]]:
    names = {header.lower(): column for column, pair in COLUMNS.items() for header in pair}
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


def _body(text: str) -> QualityBody | None:
    organization = (
        Organization.objects.filter(name=text).first()
        or Organization.objects.filter(credit_code=normalise_credit_code(text)).first()
    )
    if organization is None:
        return None
    return QualityBody.objects.filter(organization=organization).first()


def import_accreditations(actor: User | None, handle: IO[bytes], filename: str) -> Any:
    """Import the file; raise :class:`ImportRefused` (nothing written) if any row is bad."""
    if actor is not None and not permissions.is_staff_user(actor):
        raise PermissionDenied(_("Only bureau staff keep the register of accreditations."))
    lines = _read(handle, filename)
    headers = next(lines, [])
    mapping, problems = _header_map(headers)
    if problems:
        raise ImportRefused(problems)
    header_of = {column: headers[index] for index, column in mapping.items()}
    groups: dict[tuple[int, str, str], _Group] = {}
    rows = 0
    for line, cells in enumerate(lines, start=2):
        if not any(cells):
            continue
        rows += 1
        if rows > MAX_ROWS:
            raise ImportRefused(
                [ImportProblem(0, "", _("A file holds at most %(max)d rows.") % {"max": MAX_ROWS})]
            )
        values = {
            column: cells[index] if index < len(cells) else "" for index, column in mapping.items()
        }
        before = len(problems)
        for column in REQUIRED:
            if not values[column]:
                problems.append(ImportProblem(line, header_of[column], _("This cell is empty.")))
        if len(problems) > before:
            continue
        body = _body(values["organization"])
        if body is None:
            problems.append(
                ImportProblem(
                    line,
                    header_of["organization"],
                    _("%(name)s is not a registered quality-infrastructure body.")
                    % {"name": values["organization"]},
                )
            )
        scheme = SCHEME_WORDS.get(values["scheme"].strip().lower())
        if scheme is None:
            problems.append(
                ImportProblem(
                    line,
                    header_of["scheme"],
                    _("Unknown scheme; write one of %(schemes)s.")
                    % {"schemes": ", ".join(Scheme.values)},
                )
            )
        dates = {}
        for column in ("valid_from", "valid_until"):
            try:
                dates[column] = _date(values[column])
            except ValueError:
                problems.append(
                    ImportProblem(line, header_of[column], _("Write the date as YYYY-MM-DD."))
                )
        if len(problems) > before or body is None or scheme is None:
            continue
        number = re.sub(r"\s+", " ", values["number"].strip().upper())
        group = groups.setdefault(
            (body.pk, scheme, number),
            _Group(body, {"scheme": scheme, "number": values["number"], **dates}),
        )
        if group.data["valid_from"] != dates["valid_from"] or (
            group.data["valid_until"] != dates["valid_until"]
        ):
            problems.append(
                ImportProblem(
                    line,
                    header_of["valid_until"],
                    _("Row %(row)d gives this accreditation other validity dates.")
                    % {"row": group.lines[0]},
                )
            )
            continue
        scope = {column: values.get(column, "") for column in SCOPE}
        if any(scope.values()):
            group.scope.append(scope)
            group.lines.append(line)
        elif not group.lines:
            group.lines.append(line)
    if rows == 0:
        raise ImportRefused([ImportProblem(0, "", _("The file has no rows."))])
    if problems:
        raise ImportRefused(sorted(problems, key=lambda problem: problem.row))

    scope_lines = 0
    with transaction.atomic():
        for group in groups.values():
            first = group.lines[0] if group.lines else 0
            try:
                services.add_accreditation(
                    actor or system_actor(), group.body, group.data, group.scope
                )
            except PermissionDenied as refused:
                problems.append(ImportProblem(first, header_of["organization"], str(refused)))
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    line, column = first, header_of.get(key, key)
                    found = re.fullmatch(r"scope\.(\d+)\.(\w+)", key)
                    if found:
                        line = group.lines[int(found.group(1)) - 1]
                        column = header_of.get(found.group(2), found.group(2))
                    elif key == "__all__":
                        column = header_of["number"]
                    problems.extend(ImportProblem(line, column, text) for text in messages)
            else:
                scope_lines += len(group.scope)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda problem: problem.row))
    return AccreditationSummary(accreditations=len(groups), scope_lines=scope_lines)
