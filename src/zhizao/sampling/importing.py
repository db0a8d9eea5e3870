"""Import a lab's results (CSV or XLSX) into a sampling plan, all or nothing.

One row per test item; the rows of one batch share its report number and repeat the batch's
columns (which must agree). The rows become :class:`~zhizao.sampling.services.BatchInput`s and
go through :func:`~zhizao.sampling.services.record_batches`, the same validator as the entry
form; every problem comes back with its row and column, and nothing is written if there is
one. Reading the file (encoding, cells, headers) is ``zhizao.core.tabular``'s.

Columns (English or Chinese header, any order; docs/sampling.md): report_number 报告编号*,
category 产品类别*, producer_credit_code 生产者统一社会信用代码*, seller_credit_code
销售者统一社会信用代码, product 产品名称*, brand 商标, specification 规格型号, batch_number
生产日期或批号, sampled_on 抽样日期*, place 抽样地点, district 抽样区县, standards 检验依据,
item 检验项目*, value 检验结果, limit 标准要求, unit 单位, item_verdict 单项判定.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from zhizao.core.models import Organization, Region, User
from zhizao.core.tabular import ImportProblem, ImportRefused, map_headers, read_rows
from zhizao.core.validators import normalise_credit_code
from zhizao.sampling import services
from zhizao.sampling.models import SamplingPlan

COLUMNS: dict[str, tuple[str, str]] = {
    "report_number": ("report_number", "报告编号"),
    "category": ("category", "产品类别"),
    "producer_credit_code": ("producer_credit_code", "生产者统一社会信用代码"),
    "seller_credit_code": ("seller_credit_code", "销售者统一社会信用代码"),
    "product": ("product", "产品名称"),
    "brand": ("brand", "商标"),
    "specification": ("specification", "规格型号"),
    "batch_number": ("batch_number", "生产日期或批号"),
    "sampled_on": ("sampled_on", "抽样日期"),
    "place": ("place", "抽样地点"),
    "district": ("district", "抽样区县"),
    "standards": ("standards", "检验依据"),
    "item": ("item", "检验项目"),
    "value": ("value", "检验结果"),
    "limit": ("limit", "标准要求"),
    "unit": ("unit", "单位"),
    "item_verdict": ("item_verdict", "单项判定"),
}
REQUIRED = ("report_number", "category", "producer_credit_code", "product", "sampled_on", "item")
BATCH_COLUMNS = (
    "category",
    "producer_credit_code",
    "seller_credit_code",
    "product",
    "brand",
    "specification",
    "batch_number",
    "sampled_on",
    "place",
    "district",
    "standards",
)
MAX_ROWS = 20_000
SEPARATORS = re.compile(r"[;；、\n]+")
# A field of services.BatchInput / ItemInput → the column it came from.
FIELD_COLUMN = {
    "category": "category",
    "producer": "producer_credit_code",
    "seller": "seller_credit_code",
    "product": "product",
    "brand": "brand",
    "specification": "specification",
    "batch_number": "batch_number",
    "sampled_on": "sampled_on",
    "place": "place",
    "region": "district",
    "standards": "standards",
    "report_number": "report_number",
    "name": "item",
    "value": "value",
    "limit": "limit",
    "unit": "unit",
    "verdict": "item_verdict",
    "items": "item",
}


@dataclass
class _Batch:
    line: int
    values: dict[str, str]
    item_lines: list[int] = field(default_factory=list)
    items: list[dict[str, str]] = field(default_factory=list)


def template_headers(language: str) -> list[str]:
    index = 1 if language.startswith("zh") else 0
    return [pair[index] for pair in COLUMNS.values()]


def run(
    actor: User, plan: SamplingPlan, handle: IO[bytes], filename: str
) -> services.RecordSummary:
    """Import the file into ``plan``; :class:`ImportRefused` lists every problem."""
    services.require_recorder(actor, plan)
    rows = read_rows(handle, filename, MAX_ROWS)
    header = next(rows, None)
    if header is None:
        raise ImportRefused([ImportProblem(0, "", _("The file is empty."))])
    mapping, problems = map_headers(header[1], COLUMNS, REQUIRED)
    if problems:
        raise ImportRefused(problems)
    headers = {column: COLUMNS[column][1] for column in COLUMNS}
    batches: dict[str, _Batch] = {}
    for line, cells in rows:
        if not any(cells):
            continue
        values = {
            column: (cells[index] if index < len(cells) else "")
            for index, column in mapping.items()
        }
        for column in COLUMNS:
            values.setdefault(column, "")
        number = values["report_number"]
        if not number:
            problems.append(
                ImportProblem(line, headers["report_number"], _("This required value is missing."))
            )
            continue
        batch = batches.get(number)
        if batch is None:
            batch = batches[number] = _Batch(line, values)
        else:
            for column in BATCH_COLUMNS:
                if values[column] != batch.values[column]:
                    problems.append(
                        ImportProblem(
                            line,
                            headers[column],
                            _("Differs from row %(row)d of the same report (%(value)s).")
                            % {"row": batch.line, "value": batch.values[column] or "—"},
                        )
                    )
        batch.item_lines.append(line)
        batch.items.append(values)
    if not batches and not problems:
        raise ImportRefused([ImportProblem(0, "", _("The file has no rows below its header."))])
    organizations = _organizations(batches.values())
    districts = _districts(plan)
    inputs: list[services.BatchInput] = []
    ordered = list(batches.values())
    for batch in ordered:
        values = batch.values
        producer = organizations.get(normalise_credit_code(values["producer_credit_code"]))
        if producer is None and values["producer_credit_code"]:
            problems.append(
                ImportProblem(
                    batch.line,
                    headers["producer_credit_code"],
                    _("No registered organization has the credit code %(code)s.")
                    % {"code": values["producer_credit_code"]},
                )
            )
        seller = None
        if values["seller_credit_code"]:
            seller = organizations.get(normalise_credit_code(values["seller_credit_code"]))
            if seller is None:
                problems.append(
                    ImportProblem(
                        batch.line,
                        headers["seller_credit_code"],
                        _("No registered organization has the credit code %(code)s.")
                        % {"code": values["seller_credit_code"]},
                    )
                )
        region = None
        if values["district"]:
            region = districts.get(values["district"])
            if region is None:
                problems.append(
                    ImportProblem(
                        batch.line,
                        headers["district"],
                        _("%(name)s is not a district of the plan's region.")
                        % {"name": values["district"]},
                    )
                )
        sampled_on = _date(values["sampled_on"])
        if sampled_on is None and values["sampled_on"]:
            problems.append(
                ImportProblem(batch.line, headers["sampled_on"], _("Write the date as YYYY-MM-DD."))
            )
        inputs.append(
            services.BatchInput(
                category=values["category"],
                producer=producer,
                seller=seller,
                product=values["product"],
                brand=values["brand"],
                specification=values["specification"],
                batch_number=values["batch_number"],
                sampled_on=sampled_on,
                place=values["place"],
                region=region,
                report_number=values["report_number"],
                standards=[code for code in SEPARATORS.split(values["standards"]) if code.strip()],
                items=[
                    services.ItemInput(
                        name=item["item"],
                        value=item["value"],
                        limit=item["limit"],
                        unit=item["unit"],
                        verdict=item["item_verdict"],
                    )
                    for item in batch.items
                ],
            )
        )
    reported_rows = {(problem.row, problem.column) for problem in problems}
    _checked, found = services.validate_batches(plan, inputs)
    for key, messages in found.items():
        problems.extend(_located(ordered, key, messages, headers, reported_rows))
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: (p.row, p.column)))
    try:
        return services.record_batches(actor, plan, inputs)
    except ValidationError as error:  # a concurrent import recorded a report meanwhile
        raise ImportRefused(
            [
                p
                for key, messages in error.message_dict.items()
                for p in _located(ordered, key, messages, headers, set())
            ]
        ) from error


def _located(
    batches: list[_Batch],
    key: str,
    messages: list[str],
    headers: dict[str, str],
    reported: set[tuple[int, str]],
) -> list[ImportProblem]:
    parts = key.split(".")
    batch = batches[int(parts[0])]
    line = batch.line
    name = parts[1]
    if name == "items" and len(parts) >= 4:
        line = batch.item_lines[int(parts[2])]
        name = parts[3]
    column = headers.get(FIELD_COLUMN.get(name, ""), name)
    if (line, column) in reported:  # already said more precisely (e.g. an unknown credit code)
        return []
    return [ImportProblem(line, column, message) for message in messages]


def _date(text: str) -> dt.date | None:
    text = text.strip()[:10].replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _organizations(batches: Iterable[_Batch]) -> dict[str, Organization]:
    codes: set[str] = set()
    for batch in batches:
        for column in ("producer_credit_code", "seller_credit_code"):
            if batch.values[column]:
                codes.add(normalise_credit_code(batch.values[column]))
    return {
        org.credit_code: org
        for org in Organization.objects.filter(credit_code__in=codes).select_related("region")
    }


def _districts(plan: SamplingPlan) -> dict[str, Region]:
    found: dict[str, Region] = {}
    for region in Region.objects.filter(Q(path__startswith=plan.region.path)):
        found[region.name] = region
        if region.code:
            found[region.code] = region
    return found
