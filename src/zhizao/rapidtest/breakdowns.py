"""The dashboard's breakdowns under the filter form's filters (issue 19, "Finding things").

Without filters the dashboard reads :func:`zhizao.rapidtest.figures.dashboard_tables` (its
cached fast path). With filters, each of the eight breakdowns and the overall figure is one
grouped query: over the detail rollup (market × month × product × item) when every filter is
one the rollups express — market, district, market type, category, product, item, month,
year, result — and over the records themselves when a filter is finer (a date range, a
supplier, record ids). Either way the figures are the same GROUP BY the records list counts, so
a breakdown's row and the records it links to agree."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, ExtractYear, TruncMonth
from django.utils import timezone

from zhizao.core.models import Organization, Region
from zhizao.rapidtest import figures, permissions
from zhizao.rapidtest.filters import (
    FIELD_LOOKUPS,
    FIRST_ROLLUP_MONTH,
    ROLLUP_FILTERS,
    filter_records,
    parse_filters,
    scoped_records,
)
from zhizao.rapidtest.models import MonthlyRollup, Product, TestItem

# dimension -> field path, the same on the detail rollup and on the records
PATHS = {
    "market": "market_id",
    "district": "market__region_id",
    "kind": "market__kind",
    "category": "product__category",
    "item": "item_id",
    "product": "product_id",
}


def _rollups(market_ids: list[int], parsed: Mapping[str, Any]) -> QuerySet[Any]:
    queryset = MonthlyRollup.objects.filter(
        market_id__in=market_ids,
        month__gte=FIRST_ROLLUP_MONTH,
        **{lookup: parsed[name] for name, lookup in FIELD_LOOKUPS.items() if name in parsed},
    )
    if "month" in parsed:
        year, month = parsed["month"]
        queryset = queryset.filter(month=date(year, month, 1))
    if "year" in parsed:
        queryset = queryset.filter(
            month__gte=date(parsed["year"], 1, 1), month__lte=date(parsed["year"], 12, 1)
        )
    return queryset


def filtered_tables(
    user: Any, params: Mapping[str, Any]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The dashboard's tables and overall figure for the records ``params`` select (the same
    shapes :func:`figures.dashboard_tables` returns)."""
    parsed = parse_filters(params)
    market_ids = list(permissions.private_markets(user).values_list("pk", flat=True))
    from_rollups = set(parsed) <= ROLLUP_FILTERS
    counts: dict[str, Any]
    month_of: Any
    if from_rollups:
        # (the detail rollup counts each batch on its first item, so sums over any grouping
        # but the item are batches; an item's batches are its tests, as on the dashboard)
        source: QuerySet[Any] = _rollups(market_ids, parsed)
        counts = {
            "b": Sum("batches"),
            "bf": Sum("batches_failed"),
            "t": Sum("total"),
            "tf": Sum("failed"),
        }
        month_of, year_of = F("month"), ExtractYear("month")
    else:
        # a batch is a sample: the records sharing (market, sample code)
        source = filter_records(scoped_records(market_ids), params).order_by()
        sample = Concat(F("market_id"), Value(":"), F("sample_code"), output_field=CharField())
        counts = {
            "b": Count(sample, distinct=True),
            "bf": Count(sample, distinct=True, filter=Q(passed=False)),
            "t": Count("pk"),
            "tf": Count("pk", filter=Q(passed=False)),
        }
        zone = timezone.get_current_timezone()
        month_of, year_of = TruncMonth("tested_at", tzinfo=zone), ExtractYear("tested_at")
    by_tests = "item" in parsed  # a batch is counted on its first item only
    groups: dict[str, dict[Any, list[int]]] = {}
    for dimension in figures.DASHBOARD_DIMENSIONS:
        if dimension == "month":
            grouped = source.annotate(key=month_of)
        elif dimension == "year":
            grouped = source.annotate(key=year_of)
        else:
            grouped = source.annotate(key=F(PATHS[dimension]))
        pairs: dict[Any, list[int]] = {}
        for key, b, bf, t, tf in (
            grouped.values("key").annotate(**counts).values_list("key", "b", "bf", "t", "tf")
        ):
            if key is None:
                continue
            if dimension == "month" and hasattr(key, "date"):
                key = timezone.localtime(key).date() if timezone.is_aware(key) else key.date()
            b, bf, t, tf = (int(n or 0) for n in (b, bf, t, tf))
            if from_rollups and "passed" in parsed:  # the rollups count both results
                if parsed["passed"]:
                    b, bf, t, tf = b - bf, 0, t - tf, 0
                else:
                    b, t = bf, tf
            if by_tests or dimension == "item":
                b, bf = t, tf
            pairs[key] = [b, bf, t, tf]
        groups[dimension] = pairs
    groups["year"] = figures._five_years(groups["year"])  # the dashboard's own 5-year rule
    labels = {
        "market": dict(
            Organization.objects.filter(pk__in=groups["market"]).values_list("pk", "name")
        ),
        "district": dict(
            Region.objects.filter(pk__in=groups["district"]).values_list("pk", "name")
        ),
        "product": dict(Product.objects.filter(pk__in=groups["product"]).values_list("pk", "name")),
        "item": dict(TestItem.objects.filter(pk__in=groups["item"]).values_list("pk", "name")),
    }
    tables = {
        name: figures._rows(groups[name], name, labels) for name in figures.DASHBOARD_DIMENSIONS
    }
    totals = [sum(pair[n] for pair in groups["kind"].values()) for n in range(4)]
    overall = figures.with_rates(
        [{"total": totals[0], "failed": totals[1], "tests": totals[2], "tests_failed": totals[3]}]
    )[0]
    return tables, overall
