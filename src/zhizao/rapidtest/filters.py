"""Filters of test records, shared by the list page, its exports, the API and drill-downs.

:func:`parse_filters` reads the request's values once (invalid values are ignored, as before);
:func:`filter_records` applies them to records and :func:`rollup_count` counts the same records
from the rollups when every filter is one the rollups can express (market, district, kind,
category, item, product, month, year, result) — an exact count without touching the records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from ninja import Schema

from zhizao.rapidtest.models import MarketMonthRollup, MonthlyRollup, TestRecord


class RecordFilters(Schema):
    market: int | None = None
    district: int | None = None
    kind: str | None = None
    category: str | None = None
    item: int | None = None
    product: int | None = None
    month: str | None = None  # YYYY-MM
    year: int | None = None
    result: str | None = None  # pass / fail
    supplier: str | None = None
    ids: str | None = None  # comma-separated primary keys (integrity flags)


def _local_start(year: int, month: int) -> Any:
    return timezone.make_aware(datetime(year, month, 1))


def parse_filters(params: dict[str, Any]) -> dict[str, Any]:
    """The valid filters among ``params``, normalised: ints for ids, ``(year, month)`` for the
    month, a bool for the result, a list of ids; anything invalid is left out."""

    def number(name: str) -> int | None:
        value = params.get(name)
        try:
            parsed = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None
        return parsed if parsed is None or abs(parsed) < 2**63 else None  # a database integer

    parsed: dict[str, Any] = {}
    for name in ("market", "district", "item", "product"):
        if (value := number(name)) is not None:
            parsed[name] = value
    for name in ("kind", "category", "supplier"):
        if params.get(name):
            parsed[name] = params[name]
    month = str(params.get("month") or "")
    valid = len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit()
    if valid and 1 <= int(month[5:]) <= 12:
        parsed["month"] = (int(month[:4]), int(month[5:]))
    if (year := number("year")) is not None and 1900 < year < 3000:
        parsed["year"] = year
    if params.get("result") in ("pass", "fail"):
        parsed["passed"] = params["result"] == "pass"
    if params.get("ids"):
        ids = [int(v) for v in str(params["ids"]).split(",") if v.strip().isdigit()]
        parsed["ids"] = [pk for pk in ids if pk < 2**63][:1000]
    return parsed


# Filters that are one equality lookup, with the same field path on the records and on both
# rollup tables.
FIELD_LOOKUPS = {
    "market": "market_id",
    "district": "market__region_id",
    "kind": "market__kind",
    "category": "product__category",
    "item": "item_id",
    "product": "product_id",
}


def _field_filters(parsed: dict[str, Any]) -> dict[str, Any]:
    return {lookup: parsed[name] for name, lookup in FIELD_LOOKUPS.items() if name in parsed}


def filter_records(queryset: QuerySet[TestRecord], params: dict[str, Any]) -> QuerySet[TestRecord]:
    parsed = parse_filters(params)
    queryset = queryset.filter(**_field_filters(parsed))
    if "supplier" in parsed:
        # (never "", so the supplier index, which leaves out records without one, applies)
        queryset = queryset.filter(supplier=parsed["supplier"]).exclude(supplier="")
    if "month" in parsed:
        year_number, month_number = parsed["month"]
        start = _local_start(year_number, month_number)
        end = _local_start(year_number + month_number // 12, month_number % 12 + 1)
        queryset = queryset.filter(tested_at__gte=start, tested_at__lt=end)
    if "year" in parsed:
        year = parsed["year"]
        queryset = queryset.filter(
            tested_at__gte=_local_start(year, 1), tested_at__lt=_local_start(year + 1, 1)
        )
    if "passed" in parsed:
        queryset = queryset.filter(passed=parsed["passed"])
    if "ids" in parsed:
        queryset = queryset.filter(pk__in=parsed["ids"])
    return queryset


def scoped_records(market_ids: list[int]) -> QuerySet[TestRecord]:
    """Records of these markets. With one market the (market, tested_at) index serves both the
    filter and the list's order; with several, SQLite (which keeps no statistics unless
    ANALYZE ran) would pick the same index for ``market_id IN (…)`` and then sort every record of
    every market, so the membership test is written as ``market_id + 0 IN (…)``, which no index
    serves: the (tested_at) index then gives the order and the first page stops early."""
    if len(market_ids) == 1:
        return TestRecord.objects.filter(market_id=market_ids[0])
    if connection.vendor == "sqlite":
        return TestRecord.objects.alias(scope_market=F("market_id") + 0).filter(
            scope_market__in=market_ids
        )
    return TestRecord.objects.filter(market_id__in=market_ids)


ROLLUP_FILTERS = frozenset(
    {"market", "district", "kind", "category", "item", "product", "month", "year", "passed"}
)


def rollup_count(market_ids: list[int], params: dict[str, Any]) -> int | None:
    """How many records of these markets ``filter_records`` keeps, counted from the rollups
    (months are the city's local months, as in the filters); ``None`` when a filter (supplier,
    ids) is not one the rollups can express — then the records must be counted."""
    parsed = parse_filters(params)
    if not set(parsed) <= ROLLUP_FILTERS:
        return None
    detail = bool({"category", "item", "product"} & set(parsed))
    rollups: QuerySet[Any] = (MonthlyRollup if detail else MarketMonthRollup).objects.filter(
        market_id__in=market_ids, **_field_filters(parsed)
    )
    if "month" in parsed:
        year_number, month_number = parsed["month"]
        rollups = rollups.filter(month=date(year_number, month_number, 1))
    if "year" in parsed:
        rollups = rollups.filter(
            month__gte=date(parsed["year"], 1, 1), month__lte=date(parsed["year"], 12, 1)
        )
    sums = rollups.aggregate(total=Sum("total"), failed=Sum("failed"))
    total, failed = sums["total"] or 0, sums["failed"] or 0
    if "passed" in parsed:
        return total - failed if parsed["passed"] else failed
    return int(total)


def month_start(value: date) -> date:
    return value.replace(day=1)
