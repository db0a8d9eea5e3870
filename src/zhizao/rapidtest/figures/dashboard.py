"""The dashboard's figures, from the rollups: breakdowns in batches with the tests beside them,
the market × month rates (cached by rollup version), coverage."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count, Q, Sum

from zhizao.core.permissions import AnyUser
from zhizao.indicators.rates import (
    PASS_RATE_DECIMALS,
    round_gbt8170,
    wilson_interval,
)
from zhizao.rapidtest import permissions
from zhizao.rapidtest.choices import (
    Category,
)
from zhizao.rapidtest.filters import FIRST_ROLLUP_MONTH
from zhizao.rapidtest.models import (
    MarketMonthRollup,
    MarketProfile,
    MonthlyRollup,
    Product,
    TestItem,
    TestRecord,
)

logger = logging.getLogger("zhizao.rapidtest")

DIMENSIONS: dict[str, tuple[str, str | None]] = {
    # name -> (group field on MonthlyRollup, label field)
    "market": ("market_id", "market__name"),
    "district": ("market__region_id", "market__region__name"),
    "kind": ("market__kind", None),
    "category": ("product__category", None),
    "item": ("item_id", "item__name"),
    "product": ("product_id", "product__name"),
    "month": ("month", None),
    "year": ("year", None),
}


def with_rates(rows: list[dict[str, Any]], *, rounded: bool = True) -> list[dict[str, Any]]:
    """Add pass rate and its 95% Wilson interval in percent to each row: rounded per GB/T 8170
    for publication, or unrounded (``rounded=False``, the JSON API's machine-readable figures)."""
    if not rows:
        return rows
    totals = np.array([row["total"] for row in rows], dtype=np.float64)
    passed = totals - np.array([row["failed"] for row in rows], dtype=np.float64)
    low, high = wilson_interval(passed, totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = (passed / totals * 100).tolist()
    lows, highs = (low * 100).tolist(), (high * 100).tolist()
    for index, row in enumerate(rows):
        row["passed"] = int(passed[index])
        if not row["total"]:
            row["rate"] = row["low"] = row["high"] = None
        elif rounded:
            row["rate"] = round_gbt8170(rates[index], PASS_RATE_DECIMALS)
            row["low"] = round_gbt8170(lows[index], PASS_RATE_DECIMALS)
            row["high"] = round_gbt8170(highs[index], PASS_RATE_DECIMALS)
        else:
            row["rate"], row["low"], row["high"] = rates[index], lows[index], highs[index]
    return rows


def _label(dimension: str, row: dict[str, Any]) -> str:
    key, label = DIMENSIONS[dimension]
    value = row[key]
    if label is not None:
        return str(row[label])
    if dimension == "kind":
        from zhizao.core.choices import OrganizationKind

        return str(OrganizationKind(value).label)
    if dimension == "category":
        return str(Category(value).label)
    if dimension == "month":
        return value.strftime("%Y-%m") if isinstance(value, date) else str(value)[:7]
    return str(value)


def _drill_value(dimension: str, row: dict[str, Any]) -> str:
    value = row[DIMENSIONS[dimension][0]]
    if dimension == "month":
        return value.strftime("%Y-%m") if isinstance(value, date) else str(value)[:7]
    return str(value)


DASHBOARD_DIMENSIONS = (
    "year",
    "kind",
    "district",
    "category",
    "item",
    "product",
    "market",
    "month",
)


REPORT_YEARS = 5


def _five_years(by_year: dict[int, list[int]]) -> dict[int, list[int]]:
    """The years of the five calendar years ending with the report year (the latest year with
    a test): earlier years (a month's tests before the programme's first year) are left out of
    the 5-year breakdown."""
    years = [year for year, (total, *_rest) in by_year.items() if total > 0]
    first = max(years, default=0) - REPORT_YEARS + 1
    return {year: pair for year, pair in by_year.items() if year >= first}


def _rows(
    groups: dict[Any, list[int]], dimension: str, labels: dict[str, Any]
) -> list[dict[str, Any]]:
    """Rows shaped as :func:`breakdown` makes them, from (batches, failed batches, tests, failed
    tests) per key value: ``total`` and ``failed`` count batches, ``tests`` and
    ``tests_failed`` the tests beside them."""
    key, label = DIMENSIONS[dimension]
    rows = []
    for value in sorted(groups):
        total, failed, tests, tests_failed = groups[value]
        if total <= 0:
            continue
        row: dict[str, Any] = {
            key: value,
            "total": total,
            "failed": failed,
            "tests": tests,
            "tests_failed": tests_failed,
        }
        if label is not None:
            row[label] = labels[dimension][value]
        row["label"] = _label(dimension, row)
        row["key"] = _drill_value(dimension, row)
        rows.append(row)
    return with_rates(rows)


DashboardCounts = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]
_DASHBOARD_CACHE: OrderedDict[tuple[str, tuple[int, ...]], DashboardCounts] = OrderedDict()


def _log_unreadable_months(market_ids: Iterable[int]) -> None:
    """Log the tests the rollups hold in months before they begin (January 2000): only an
    unchecked import of an impossible date put them there, and the figures leave them out so
    that one stored value never breaks the dashboard."""
    left_out = (
        MarketMonthRollup.objects.filter(market_id__in=market_ids)
        .exclude(month__gte=FIRST_ROLLUP_MONTH)
        .aggregate(total=Sum("total"))["total"]
    )
    if left_out:
        logger.warning(
            "rapidtest rollups: %d tests counted in months out of range were left out", left_out
        )


def _dashboard_counts(market_ids: tuple[int, ...]) -> DashboardCounts:
    """(market, month, total, failed) rows of the market × month rollup and (product, item,
    total, failed) sums of the detail rollup for these markets, cached per process under the
    rollups' version token like :func:`market_month_json` (a write makes a new token, so an
    entry is never served after the counts changed). Names, regions, types and categories are
    not cached: they change without a rollup write."""
    from zhizao.rapidtest import rollups

    token = rollups.version()  # read before the rows: an entry is never older than its token
    key = (token, market_ids)
    with _CACHE_LOCK:
        counts = _DASHBOARD_CACHE.get(key)
        if counts is not None:
            _DASHBOARD_CACHE.move_to_end(key)
            return counts
    _log_unreadable_months(market_ids)
    counts = (
        list(
            MarketMonthRollup.objects.filter(
                market_id__in=market_ids, month__gte=FIRST_ROLLUP_MONTH
            )
            .values_list("market_id", "month", "batches", "batches_failed", "total", "failed")
            .order_by()
        ),
        list(
            MonthlyRollup.objects.filter(market_id__in=market_ids, month__gte=FIRST_ROLLUP_MONTH)
            .values_list("product_id", "item_id")
            .annotate(b=Sum("batches"), bf=Sum("batches_failed"), t=Sum("total"), tf=Sum("failed"))
            .values_list("product_id", "item_id", "b", "bf", "t", "tf")
            .order_by()
        ),
    )
    with _CACHE_LOCK:
        _DASHBOARD_CACHE[key] = counts
        while len(_DASHBOARD_CACHE) > _MARKET_MONTH_CACHE_SIZE:
            _DASHBOARD_CACHE.popitem(last=False)
    return counts


def dashboard_tables(user: AnyUser) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The dashboard's eight breakdowns and the overall figure, in batches with the tests beside
    them (an item's batches are its tests: a sample tests each item once), each equal to a
    GROUP BY over the detail rollup (tests/test_staff_pages_fast.py checks it), in a handful of
    queries: the
    market × month rollup (≈ 4,100 rows) gives year, type, district, market, month and the
    total; one grouped query over the detail rollup gives category, item and product; labels
    are read once."""
    markets = {
        pk: (name, region_id, region_name, kind)
        for pk, name, region_id, region_name, kind in permissions.private_markets(user)
        .values_list("pk", "name", "region_id", "region__name", "kind")
        .order_by()
    }
    market_month_rows, detail = _dashboard_counts(tuple(sorted(markets)))
    by: dict[str, dict[Any, list[int]]] = {
        name: defaultdict(lambda: [0, 0, 0, 0]) for name in DIMENSIONS
    }
    overall_counts = [0, 0, 0, 0]

    def count(sums: list[int], counts: Sequence[int]) -> None:
        for index, number in enumerate(counts):
            sums[index] += number

    for market_id, month, *counts in market_month_rows:
        _name, region_id, _region_name, kind = markets[market_id]
        for dimension, value in (
            ("market", market_id),
            ("district", region_id),
            ("kind", kind),
            ("month", month),
            ("year", month.year),
        ):
            count(by[dimension][value], counts)
        count(overall_counts, counts)
    products = {
        pk: (name, category)
        for pk, name, category in Product.objects.filter(
            pk__in={row[0] for row in detail}
        ).values_list("pk", "name", "category")
    }
    items = dict(
        TestItem.objects.filter(pk__in={row[1] for row in detail}).values_list("pk", "name")
    )
    for product_id, item_id, batches, batches_failed, tests, tests_failed in detail:
        count(by["product"][product_id], (batches, batches_failed, tests, tests_failed))
        count(
            by["category"][products[product_id][1]], (batches, batches_failed, tests, tests_failed)
        )
        # The batches that were tested for an item are its tests (one per sample).
        count(by["item"][item_id], (tests, tests_failed, tests, tests_failed))
    labels: dict[str, dict[Any, Any]] = {
        "market": {pk: market[0] for pk, market in markets.items()},
        "district": {market[1]: market[2] for market in markets.values()},
        "product": {pk: product[0] for pk, product in products.items()},
        "item": items,
    }
    by["year"] = _five_years(by["year"])
    tables = {name: _rows(by[name], name, labels) for name in DASHBOARD_DIMENSIONS}
    overall_row = with_rates(
        [
            {
                "total": overall_counts[0],
                "failed": overall_counts[1],
                "tests": overall_counts[2],
                "tests_failed": overall_counts[3],
            }
        ]
    )[0]
    return tables, overall_row


def market_month(user: AnyUser) -> list[dict[str, Any]]:
    """Batch pass rate by market and month (the dashboard's hottest request), from its own rollup:
    one query, the Wilson intervals computed for all rows at once by the engine."""
    market_ids = list(permissions.private_markets(user).values_list("pk", flat=True))
    return _market_month_rows(market_ids)


def _market_month_rows(market_ids: list[int]) -> list[dict[str, Any]]:
    _log_unreadable_months(market_ids)
    rows = list(
        MarketMonthRollup.objects.filter(
            market_id__in=market_ids, batches__gt=0, month__gte=FIRST_ROLLUP_MONTH
        )
        .values_list("market_id", "month", "batches", "batches_failed", "total")
        .order_by("market_id", "month")
    )
    if not rows:
        return []
    markets, months, totals, failures, tests = zip(*rows, strict=True)
    total = np.array(totals, dtype=np.int64)
    failed = np.array(failures, dtype=np.int64)
    passed = total - failed
    low, high = wilson_interval(passed, total)
    labels = np.datetime_as_string(np.array(months, dtype="datetime64[M]"), unit="M").tolist()
    return [
        {
            "market_id": market_id,
            "month": label,
            "total": n,
            "failed": f,
            "passed": k,
            "tests": t,
            "rate": rate,
            "low": lo,
            "high": hi,
        }
        for market_id, label, n, f, t, k, rate, lo, hi in zip(
            markets,
            labels,
            totals,
            failures,
            tests,
            passed.tolist(),
            (passed / total * 100).tolist(),
            (low * 100).tolist(),
            (high * 100).tolist(),
            strict=True,
        )
    ]


# Serialised market-month responses, per process, keyed by the rollups' version token and the
# markets the reader may see: valid exactly while that token is current (rollups.touch() gives
# every write a fresh random token), so no write path can leave a stale entry behind.
_MARKET_MONTH_CACHE: OrderedDict[tuple[str, tuple[int, ...]], bytes] = OrderedDict()
_MARKET_MONTH_CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()


def market_month_json(user: AnyUser) -> bytes:
    """The JSON body of ``GET dashboard/market-month`` (``{"rows": [...]}``), cached by version."""
    from zhizao.rapidtest import rollups

    token = rollups.version()  # read before the rows: an entry is never older than its token
    market_ids = tuple(
        permissions.private_markets(user).order_by("pk").values_list("pk", flat=True)
    )
    key = (token, market_ids)
    with _CACHE_LOCK:
        body = _MARKET_MONTH_CACHE.get(key)
        if body is not None:
            _MARKET_MONTH_CACHE.move_to_end(key)
            return body
    body = json.dumps(
        {"rows": _market_month_rows(list(market_ids))}, ensure_ascii=False, allow_nan=False
    ).encode()
    with _CACHE_LOCK:
        _MARKET_MONTH_CACHE[key] = body
        while len(_MARKET_MONTH_CACHE) > _MARKET_MONTH_CACHE_SIZE:
            _MARKET_MONTH_CACHE.popitem(last=False)
    return body


def coverage(user: AnyUser) -> dict[str, Any]:
    """Markets with a test room, by count and by annual trading volume."""
    profiles = MarketProfile.objects.filter(organization__in=permissions.private_markets(user))
    figures = profiles.aggregate(
        markets=Count("pk"),
        rooms=Count("pk", filter=Q(has_test_room=True)),
        volume=Sum("annual_volume_t"),
        room_volume=Sum("annual_volume_t", filter=Q(has_test_room=True)),
    )
    markets, rooms = figures["markets"] or 0, figures["rooms"] or 0
    volume, room_volume = figures["volume"] or 0.0, figures["room_volume"] or 0.0
    return {
        "markets": markets,
        "rooms": rooms,
        "by_count": round_gbt8170(rooms / markets * 100, 1) if markets else None,
        "volume_t": volume,
        "room_volume_t": room_volume,
        "by_volume": round_gbt8170(room_volume / volume * 100, 1) if volume else None,
    }


def is_synthetic(user: AnyUser | None = None) -> bool:
    return TestRecord.objects.filter(is_synthetic=True).exists()
