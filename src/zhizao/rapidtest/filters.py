"""Filters of test records, shared by the list page, its exports, the API and drill-downs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Schema

from zhizao.rapidtest.models import TestRecord


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


def filter_records(queryset: QuerySet[TestRecord], params: dict[str, Any]) -> QuerySet[TestRecord]:
    def number(name: str) -> int | None:
        value = params.get(name)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    if (market := number("market")) is not None:
        queryset = queryset.filter(market_id=market)
    if (district := number("district")) is not None:
        queryset = queryset.filter(market__region_id=district)
    if params.get("kind"):
        queryset = queryset.filter(market__kind=params["kind"])
    if params.get("category"):
        queryset = queryset.filter(product__category=params["category"])
    if (item := number("item")) is not None:
        queryset = queryset.filter(item_id=item)
    if (product := number("product")) is not None:
        queryset = queryset.filter(product_id=product)
    if params.get("supplier"):
        queryset = queryset.filter(supplier=params["supplier"])
    month = str(params.get("month") or "")
    if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit():
        year_number, month_number = int(month[:4]), int(month[5:])
        if 1 <= month_number <= 12:
            start = _local_start(year_number, month_number)
            end = _local_start(year_number + month_number // 12, month_number % 12 + 1)
            queryset = queryset.filter(tested_at__gte=start, tested_at__lt=end)
    if (year := number("year")) is not None and 1900 < year < 3000:
        queryset = queryset.filter(
            tested_at__gte=_local_start(year, 1), tested_at__lt=_local_start(year + 1, 1)
        )
    if params.get("result") in ("pass", "fail"):
        queryset = queryset.filter(passed=params["result"] == "pass")
    if params.get("ids"):
        ids = [int(v) for v in str(params["ids"]).split(",") if v.strip().isdigit()][:1000]
        queryset = queryset.filter(pk__in=ids)
    return queryset


def month_start(value: date) -> date:
    return value.replace(day=1)
