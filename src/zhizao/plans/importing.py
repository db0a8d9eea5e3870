"""A data set's XLSX template and its import, all or nothing.

The template has one row per figure of the data set for the period asked (columns: period,
figure code, figure, unit, value, explanation). The import reads every row, checks each with the
same rules as the entry form (``services.check_values``) and writes nothing unless every row
passes; an error names its row and column. Imported values land in the period's draft: the
department attaches its evidence and submits as usual.
"""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from zhizao.core.exports import safe_row
from zhizao.core.models import User
from zhizao.plans import periods, services
from zhizao.plans.models import DataSet, Submission

HEADERS = ("period", "figure_code", "figure", "unit", "value", "explanation")
HEADINGS_ZH = ("期间", "指标代码", "指标", "单位", "数值", "说明")


def template(data_set: DataSet, period_code: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "data"
    sheet.append(list(HEADERS))
    sheet.append(list(HEADINGS_ZH))
    for element in data_set.elements.all():
        figure = element.figure
        row = [period_code, element.figure_code, figure.name[0], figure.unit, None, ""]
        sheet.append(safe_row(row, xlsx=True))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_error(row: int, column: str, message: str) -> str:
    return _("Row %(row)d, column %(column)s: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def import_submissions(actor: User, data_set: DataSet, handle: IO[bytes]) -> list[Submission]:
    """Import the rows of ``handle`` into the data set's drafts, all or nothing."""
    services._require_entry(actor, data_set)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError({"file": [_("The file is not an XLSX workbook.")]}) from error
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or tuple(str(cell or "").strip() for cell in rows[0][: len(HEADERS)]) != HEADERS:
        raise ValidationError(
            {"file": [_("The first row must be the template's headings: %s.") % ", ".join(HEADERS)]}
        )
    elements = {element.figure_code: element for element in data_set.elements.all()}
    errors: list[str] = []
    by_period: dict[str, dict[int, services.Entry]] = defaultdict(dict)
    row_of: dict[tuple[str, int], int] = {}
    first = 3 if len(rows) > 1 and rows[1] and rows[1][0] == HEADINGS_ZH[0] else 2
    for number, cells in enumerate(rows[first - 1 :], start=first):
        values: list[Any] = list(cells) + [None] * (len(HEADERS) - len(cells))
        if all(cell in (None, "") for cell in values[: len(HEADERS)]):
            continue
        period_text, code, _name, _unit, raw, explanation = values[: len(HEADERS)]
        try:
            period = periods.parse(data_set.period_type, str(period_text or ""))
        except ValidationError as error:
            errors.append(_cell_error(number, "period", error.message_dict["period"][0]))
            continue
        element = elements.get(str(code or "").strip())
        if element is None:
            errors.append(
                _cell_error(
                    number,
                    "figure_code",
                    _("%(code)s is not a figure of this data set.") % {"code": code},
                )
            )
            continue
        try:
            value = Decimal(str(raw).strip()) if raw not in (None, "") else None
            if value is not None and not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                _cell_error(number, "value", _("%(value)s is not a number.") % {"value": raw})
            )
            continue
        if element.pk in by_period[period.code]:
            errors.append(
                _cell_error(
                    number,
                    "figure_code",
                    _("%(code)s appears twice for %(period)s.")
                    % {"code": element.figure_code, "period": period.code},
                )
            )
            continue
        by_period[period.code][element.pk] = (value, str(explanation or ""))
        row_of[(period.code, element.pk)] = number
    for period_code, entries in by_period.items():
        period = periods.parse(data_set.period_type, period_code)
        for key, messages in services.check_values(data_set, period, entries).items():
            column, _sep, pk = key.partition("_")
            number = row_of.get((period_code, int(pk)), 0)
            for message in messages:
                if number:
                    errors.append(_cell_error(number, column, message))
                else:
                    errors.append(f"{period_code}: {message}")
        existing = Submission.objects.filter(data_set=data_set, period=period_code).first()
        if existing is not None and existing.status not in ("draft", "returned"):
            errors.append(
                _("%(period)s is already submitted or approved: it cannot be imported over.")
                % {"period": period_code}
            )
    if not by_period and not errors:
        errors.append(_("The file has no rows of values."))
    if errors:
        raise ValidationError({"file": errors})
    imported = []
    with transaction.atomic():
        for period_code, entries in sorted(by_period.items()):
            submission = services.open_submission(actor, data_set, period_code)
            imported.append(services.enter_values(actor, submission, entries))
    return imported
