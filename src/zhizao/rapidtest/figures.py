"""Read-side figures of rapid testing: the dashboard (from the rollups), the public board, quota
progress and room scores, integrity checks, the detection-rate floor and early warnings. Every
figure is computed from records; formulas (Wilson interval, decisions) come from the engine."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.indicators.rates import (
    PASS_RATE_DECIMALS,
    binomial_upper_tail,
    round_gbt8170,
    wilson_interval,
)
from zhizao.rapidtest import permissions
from zhizao.rapidtest.choices import (
    MANUAL_SOURCES,
    Category,
    IntegrityCheck,
    QuotaPeriod,
    WarningKind,
    detection_floor,
    detection_period_days,
    late_entry_hours,
    warning_alpha,
)
from zhizao.rapidtest.filters import CASE_TIME_FIELDS, FIRST_ROLLUP_MONTH, guarded_time
from zhizao.rapidtest.models import (
    FollowUpCase,
    MarketMonthRollup,
    MarketProfile,
    MonthlyRollup,
    Product,
    RoomQuota,
    Stall,
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


# --- Public board ------------------------------------------------------------------------------


def live_now(market_ids: list[int]) -> datetime:
    """The moment live views (the gate screen, the case clock) take as now: the present, or,
    when these markets' latest record is a synthetic one from before today (the demo city,
    which lives in its report year), the end of the latest day with data."""
    now = timezone.localtime()
    latest = (
        TestRecord.objects.filter(market_id__in=market_ids)
        .order_by("-tested_at")
        .values_list("tested_at", "is_synthetic")
        .first()
    )
    if latest is None or not latest[1]:
        return now
    if latest[0] >= now.replace(hour=0, minute=0, second=0, microsecond=0):
        return now
    return timezone.localtime(latest[0]).replace(hour=23, minute=59, second=59, microsecond=0)


def batch_counts(condition: Q | None = None) -> dict[str, Count]:
    """Aggregates of batches (``total``) and failed batches (``failed``: a batch with a failed
    test) among records grouped within one market: distinct sample codes."""
    failed = Q(passed=False) if condition is None else condition & Q(passed=False)
    return {
        "total": Count("sample_code", distinct=True, filter=condition),
        "failed": Count("sample_code", distinct=True, filter=failed),
    }


def board(market: Organization, now: datetime | None = None) -> dict[str, Any]:
    """快检公示: today's and this week's tests of one market and what was done with failures
    (``now``: by default :func:`live_now` of the market)."""
    now = timezone.localtime(now or live_now([market.pk]))
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - timedelta(days=today.weekday())
    records = (
        TestRecord.objects.filter(market=market, tested_at__gte=week)
        .select_related("product", "item", "stall", "case")
        # The board shows only whether a failure's case was disposed: the case's times are
        # left unread, its disposal time read through the guard (a stored one may be unreadable).
        .defer(*(f"case__{name}" for name in CASE_TIME_FIELDS))
        .annotate(case_disposed_at=guarded_time("case__disposed_at"))
        .order_by("-tested_at")
    )
    week_rows = list(records[:500])
    for row in week_rows:
        if (case := getattr(row, "case", None)) is not None:
            case.disposed_at = row.case_disposed_at
    today_rows = [r for r in week_rows if r.tested_at >= today]
    week_counts = TestRecord.objects.filter(market=market, tested_at__gte=week).aggregate(
        **batch_counts(), tests=Count("pk"), tests_failed=Count("pk", filter=Q(passed=False))
    )
    # No test yet today: the gate screen shows the latest day with tests instead of nothing.
    latest_day, latest_rows = None, []
    if not today_rows:
        latest = (
            TestRecord.objects.filter(market=market, tested_at__lt=today)
            .order_by("-tested_at")
            .values_list("tested_at", flat=True)
            .first()
        )
        if latest is not None:
            start = timezone.localtime(latest).replace(hour=0, minute=0, second=0, microsecond=0)
            latest_day = start.date()
            latest_rows = list(
                TestRecord.objects.filter(
                    market=market, tested_at__gte=start, tested_at__lt=start + timedelta(days=1)
                )
                .select_related("product", "item", "stall", "case")
                .order_by("-tested_at")[:500]
            )
    return {
        "today": today_rows,
        "week": week_rows,
        "week_counts": week_counts,
        "now": now,
        "latest_day": latest_day,
        "latest": latest_rows,
    }


# --- Quotas and scores ---------------------------------------------------------------------------


def period_start(period: str, now: datetime) -> datetime:
    """Start of the quota period (week from Monday, calendar quarter) that holds ``now``."""
    local = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == QuotaPeriod.WEEK:
        return local - timedelta(days=local.weekday())
    return local.replace(day=1, month=3 * ((local.month - 1) // 3) + 1)


def last_complete_period(period: str, now: datetime) -> tuple[datetime, datetime]:
    """``[start, end)`` of the last whole quota period before the one that holds ``now``: quota
    completion is judged on it, since the current period is still in progress."""
    end = period_start(period, now)
    if period == QuotaPeriod.WEEK:
        return end - timedelta(days=7), end
    before = timezone.localtime(end - timedelta(days=1))
    return period_start(period, before), end


@dataclass
class RoomScore:
    market: Organization
    quotas: list[dict[str, Any]] = field(default_factory=list)
    quota_share: float = 1.0
    timely_share: float = 1.0
    evidence_share: float = 1.0
    detection_rate: float | None = None
    tests: int = 0  # batches over the detection period
    failures: int = 0  # failed batches over the detection period
    score: float | None = None  # None: not scored, for ``unscored_reason``
    unscored_reason: str = ""

    @property
    def detection_percent(self) -> float | None:
        return None if self.detection_rate is None else self.detection_rate * 100


def room_scores(user: AnyUser, now: datetime | None = None) -> list[RoomScore]:
    """Score per room (0–100): quota met 40, timeliness 20, evidence 20, detection 20. Quotas are
    judged on the last whole period (the current one is shown as in progress). A market without
    a test room, or without a test over the detection period, is not scored: doing nothing must
    not earn full marks. Scored rooms come first, best first."""
    now = now or timezone.now()
    markets = list(permissions.private_markets(user).order_by("name"))
    since = now - timedelta(days=detection_period_days())
    stats = {
        row["market_id"]: row
        for row in TestRecord.objects.filter(market__in=markets, tested_at__gte=since)
        .values("market_id")
        .annotate(
            total=batch_counts()["total"],
            failed=batch_counts()["failed"],
            manual=Count("pk", filter=Q(source__in=MANUAL_SOURCES)),
            # The source test first: SQLite evaluates the date arithmetic (a Python function
            # there) only for manual entries.
            late=Count(
                "pk",
                filter=Q(source__in=MANUAL_SOURCES)
                & Q(entered_at__gt=F("tested_at") + timedelta(hours=late_entry_hours())),
            ),
            photo=Count("pk", filter=Q(source__in=MANUAL_SOURCES) & ~Q(photo="")),
        )
        .order_by()
    }
    profiles = dict(
        MarketProfile.objects.filter(organization__in=markets).values_list(
            "organization_id", "has_test_room"
        )
    )
    evidence_markets = set(
        MarketProfile.objects.filter(evidence_required=True).values_list(
            "organization_id", flat=True
        )
    )
    quotas: dict[int, list[RoomQuota]] = defaultdict(list)
    for quota in RoomQuota.objects.filter(market__in=markets):
        quotas[quota.market_id].append(quota)
    # Tests done in the last whole period and in the current one, per market and category, in
    # one query (grouped by product, which the (market, tested_at, product, passed) index holds).
    windows = {
        period: (*last_complete_period(period, now), period_start(period, now))
        for period in QuotaPeriod.values
    }
    done_counts: dict[tuple[int, str, str, str], int] = defaultdict(int)
    if quotas:
        categories = dict(Product.objects.values_list("pk", "category"))
        annotations = {}
        for period, (start, end, current) in windows.items():
            # Batches (samples), each counted once: a sample's tests are of one product.
            annotations[f"done_{period}"] = Count(
                "sample_code", distinct=True, filter=Q(tested_at__gte=start, tested_at__lt=end)
            )
            annotations[f"current_{period}"] = Count(
                "sample_code", distinct=True, filter=Q(tested_at__gte=current)
            )
        for market_id, product_id, *period_counts in (
            TestRecord.objects.filter(
                market_id__in=quotas.keys(),
                tested_at__gte=min(start for start, _end, _current in windows.values()),
            )
            .values_list("market_id", "product_id")
            .annotate(**annotations)
            .order_by()
        ):
            for key, done in zip(annotations, period_counts, strict=True):
                which, period = key.split("_", 1)
                done_counts[(market_id, period, which, "")] += done
                done_counts[(market_id, period, which, categories[product_id])] += done
    scores = []
    floor = detection_floor()
    for market in markets:
        score = RoomScore(market=market)
        row = stats.get(market.pk)
        if row:
            score.tests, score.failures = row["total"], row["failed"]
        if not profiles.get(market.pk, False):
            score.unscored_reason = _("No test room.")
        elif not score.tests:
            score.unscored_reason = _("No test in the last %(days)d days.") % {
                "days": detection_period_days()
            }
        shares = []
        for quota in quotas.get(market.pk, []):
            start, end, current = windows[quota.period]
            done = done_counts[(market.pk, quota.period, "done", quota.category)]
            shares.append(min(1.0, done / quota.batches) if quota.batches else 1.0)
            score.quotas.append(
                {
                    "quota": quota,
                    "done": done,
                    "start": start,
                    "end": end,
                    "current": done_counts[(market.pk, quota.period, "current", quota.category)],
                    "current_start": current,
                }
            )
        if score.unscored_reason:
            scores.append(score)
            continue
        assert row is not None
        score.quota_share = min(shares) if shares else 1.0
        if row["manual"]:
            score.timely_share = 1 - row["late"] / row["manual"]
            if market.pk in evidence_markets:
                score.evidence_share = row["photo"] / row["manual"]
        score.detection_rate = row["failed"] / row["total"]
        detection_share = 1.0 if floor <= 0 else min(1.0, score.detection_rate / floor)
        score.score = round_gbt8170(
            40 * score.quota_share
            + 20 * score.timely_share
            + 20 * score.evidence_share
            + 20 * detection_share,
            1,
        )
        scores.append(score)
    scores.sort(key=lambda s: (s.score is None, -(s.score or 0)))
    return scores


# --- Integrity checks, detection floor, early warnings -------------------------------------------


@dataclass
class Flag:
    code: str
    title: str | Promise
    market: Organization | None
    explanation: str
    record_ids: list[int] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


RUN_LENGTH = 8
BURST_SIZE = 20


def integrity_checks(user: AnyUser, days: int = 30, now: datetime | None = None) -> list[Flag]:
    """The automatic checks of the data, each with the records that raised it."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    markets = {
        m.pk: m for m in permissions.private_markets(user).select_related("rapidtest_profile")
    }
    flags: list[Flag] = []
    rows = list(
        TestRecord.objects.filter(market__in=markets.keys(), tested_at__gte=since)
        # entered_at matters for manual entries only: NULL for the others spares converting
        # a timestamp per record (most records come from instruments)
        .annotate(
            manual_entered_at=Case(
                When(source__in=MANUAL_SOURCES, then=F("entered_at")),
                output_field=DateTimeField(),
            )
        )
        .values_list(
            "pk",
            "market_id",
            "item_id",
            "item__direction",
            "value",
            "tested_at",
            "manual_entered_at",
            "source",
            "product_id",
            "product__name",
            "photo",
        )
        .order_by("market_id", "item_id", "tested_at", "pk")
    )

    # Runs of identical values and of round numbers (numeric items only).
    def runs(predicate: Any, code: str, title: str | Promise, text: str) -> None:
        run: list[tuple[Any, ...]] = []

        def flush() -> None:
            if len(run) >= RUN_LENGTH:
                flags.append(
                    Flag(
                        code, title, markets[run[0][1]], text % {"n": len(run)}, [r[0] for r in run]
                    )
                )

        for row in rows:
            if row[3] == "negative":
                continue
            if run and (row[1], row[2]) == (run[-1][1], run[-1][2]) and predicate(run, row):
                run.append(row)
            else:
                flush()
                run = [row] if predicate([], row) else []
        flush()

    runs(
        lambda run, row: not run or row[4] == run[-1][4],
        IntegrityCheck.REPEATED_VALUES,
        IntegrityCheck.REPEATED_VALUES.label,
        _("%(n)d consecutive tests of the same item gave exactly the same value."),
    )
    runs(
        lambda run, row: row[4] != 0 and float(row[4]) % 10 == 0,
        IntegrityCheck.ROUND_NUMBERS,
        IntegrityCheck.ROUND_NUMBERS.label,
        _("%(n)d consecutive values are round multiples of 10."),
    )
    # Bursts of late manual entries.
    late = timedelta(hours=late_entry_hours())
    bursts: dict[tuple[int, datetime], list[int]] = defaultdict(list)
    outside: dict[int, list[int]] = defaultdict(list)
    missing: dict[int, list[int]] = defaultdict(list)
    profiles = {pk: getattr(market, "rapidtest_profile", None) for pk, market in markets.items()}
    city = timezone.get_current_timezone()  # what timezone.localtime() converts to
    for pk, market_id, _item, _direction, _value, tested, entered, source, *_rest, photo in rows:
        profile = profiles[market_id]
        if source in MANUAL_SOURCES and entered - tested > late:
            bursts[(market_id, entered.replace(minute=0, second=0, microsecond=0))].append(pk)
            if profile is not None and profile.evidence_required and not photo:
                missing[market_id].append(pk)
        elif (
            source in MANUAL_SOURCES
            and profile is not None
            and profile.evidence_required
            and not photo
        ):
            missing[market_id].append(pk)
        if profile is not None:
            local = tested.astimezone(city).time()
            if not (profile.opens_at <= local <= profile.closes_at):
                outside[market_id].append(pk)
    for (market_id, _hour), ids in bursts.items():
        if len(ids) >= BURST_SIZE:
            flags.append(
                Flag(
                    IntegrityCheck.LATE_BURST,
                    IntegrityCheck.LATE_BURST.label,
                    markets[market_id],
                    _("%(n)d tests entered within one hour, each more than %(h)d h after testing.")
                    % {"n": len(ids), "h": late_entry_hours()},
                    ids,
                )
            )
    for market_id, ids in outside.items():
        profile = markets[market_id].rapidtest_profile
        flags.append(
            Flag(
                IntegrityCheck.OUTSIDE_HOURS,
                IntegrityCheck.OUTSIDE_HOURS.label,
                markets[market_id],
                _("%(n)d tests outside the opening hours %(open)s–%(close)s.")
                % {
                    "n": len(ids),
                    "open": profile.opens_at.strftime("%H:%M"),
                    "close": profile.closes_at.strftime("%H:%M"),
                },
                ids,
            )
        )
    for market_id, ids in missing.items():
        flags.append(
            Flag(
                IntegrityCheck.MISSING_EVIDENCE,
                IntegrityCheck.MISSING_EVIDENCE.label,
                markets[market_id],
                _("%(n)d manual entries without the photo this room must attach.")
                % {"n": len(ids)},
                ids,
            )
        )
    # Products a room never sold before the window (baseline from the rollups).
    baseline: dict[int, set[int]] = defaultdict(set)
    for market_id, product_id in (
        MonthlyRollup.objects.filter(
            market__in=markets.keys(),
            month__lt=timezone.localtime(since).date().replace(day=1),
            total__gt=0,
        )
        .values_list("market_id", "product_id")
        .distinct()
    ):
        baseline[market_id].add(product_id)
    unusual: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, market_id, *_mid, product_id, product_name, _photo in rows:
        known = baseline.get(market_id)
        if known and len(known) >= 3 and product_id not in known:
            unusual[(market_id, product_name)].append(pk)
    for (market_id, name), ids in unusual.items():
        flags.append(
            Flag(
                IntegrityCheck.UNUSUAL_PRODUCT,
                IntegrityCheck.UNUSUAL_PRODUCT.label,
                markets[market_id],
                _("%(n)d tests of %(product)s, which this room never tested before.")
                % {"n": len(ids), "product": name},
                ids,
            )
        )
    return flags


def detection_floor_flags(
    user: AnyUser, now: datetime | None = None, scores: list[RoomScore] | None = None
) -> list[Flag]:
    """Rooms whose failure-detection rate over the period stays below the floor. ``scores``:
    the user's :func:`room_scores` for the same ``now``, whose counts over the same period are
    then used instead of counting again (the integrity page computes both)."""
    now = now or timezone.now()
    since = now - timedelta(days=detection_period_days())
    floor = detection_floor()
    flags = []
    markets = {m.pk: m for m in permissions.private_markets(user)}
    rows: list[dict[str, Any]]
    if scores is not None:
        rows = [
            {"market_id": s.market.pk, "total": s.tests, "failed": s.failures}
            for s in scores
            if s.tests and s.market.pk in markets
        ]
    else:
        rows = [
            dict(row)
            for row in TestRecord.objects.filter(market__in=markets.keys(), tested_at__gte=since)
            .values("market_id")
            .annotate(**batch_counts())
            .order_by()
        ]
    for row in rows:
        if row["total"] >= 100 and row["failed"] / row["total"] < floor:
            flags.append(
                Flag(
                    "detection_floor",
                    _("Detection rate below the floor"),
                    markets[row["market_id"]],
                    _(
                        "%(failed)s failed batches in %(total)s batches over %(days)d days "
                        "(%(rate)s%%), "
                        "below the floor of %(floor)s%%: a perfect pass rate is a warning sign."
                    )
                    % {
                        "failed": intcomma(row["failed"]),
                        "total": intcomma(row["total"]),
                        "days": detection_period_days(),
                        **dict(
                            zip(
                                ("rate", "floor"),
                                distinct_percents(row["failed"] / row["total"] * 100, floor * 100),
                                strict=True,
                            )
                        ),
                    },
                    extra={"market_id": row["market_id"]},
                )
            )
    return flags


def distinct_percents(below: float, above: float, decimals: int = 2) -> tuple[str, str]:
    """``below`` and ``above`` (``below < above``, compared unrounded) formatted with at least
    ``decimals`` decimals and as many more as it takes for the shown numbers to agree with the
    comparison: 0.9988 against 1 reads "0.999" and "1.000", not "1.00" and "1.00"."""
    for places in range(decimals, 10):
        shown = f"{below:.{places}f}", f"{above:.{places}f}"
        if float(shown[0]) < float(shown[1]):
            break
    return shown


def _warning_counts(
    market_ids: list[int],
    recent: datetime,
    now: datetime,
    base_start: datetime,
    suppliers: set[str],
) -> dict[str, tuple[dict[Any, list[int]], dict[Any, list[int]]]]:
    """Tests and failures per market, product and supplier over the last 30 days and over the
    baseline ``[base_start, recent)``: (now, base) dicts of value → [total, failed]. Suppliers
    only among ``suppliers`` (those with a failure in the last 30 days: no other can be flagged).

    Two grouped queries over the 395 days, each read from an index alone: per market and
    product from (market, tested_at, product, passed), per supplier from (supplier, market,
    tested_at, passed). Counted from the records, not the monthly rollups, so that the figures
    never depend on the rollups being current."""
    counts: dict[str, tuple[dict[Any, list[int]], dict[Any, list[int]]]] = {
        kind: (defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0]))
        for kind in (WarningKind.MARKET, WarningKind.PRODUCT, WarningKind.SUPPLIER)
    }

    def add(kind: str, window: int, value: Any, total: int, failed: int) -> None:
        pair = counts[kind][window][value]
        pair[0] += total
        pair[1] += failed

    scope = TestRecord.objects.filter(market_id__in=market_ids)
    in_recent = Q(tested_at__gte=recent)
    for market_id, product_id, now_total, now_failed, base_total, base_failed in (
        scope.filter(tested_at__gte=base_start, tested_at__lt=now)
        .values_list("market_id", "product_id")
        .annotate(
            now_total=Count("pk", filter=in_recent),
            now_failed=Count("pk", filter=in_recent & Q(passed=False)),
            base_total=Count("pk", filter=~in_recent),
            base_failed=Count("pk", filter=~in_recent & Q(passed=False)),
        )
        .order_by()
    ):
        for kind, value in ((WarningKind.MARKET, market_id), (WarningKind.PRODUCT, product_id)):
            add(kind, 0, value, now_total, now_failed)
            add(kind, 1, value, base_total, base_failed)
    in_now = Q(tested_at__gte=recent)
    for supplier, now_total, now_failed, base_total, base_failed in (
        scope.filter(supplier__in=suppliers, tested_at__gte=base_start, tested_at__lt=now)
        .exclude(supplier="")
        .values_list("supplier")
        .annotate(
            now_total=Count("pk", filter=in_now),
            now_failed=Count("pk", filter=in_now & Q(passed=False)),
            base_total=Count("pk", filter=~in_now),
            base_failed=Count("pk", filter=~in_now & Q(passed=False)),
        )
        .order_by()
    ):
        add(WarningKind.SUPPLIER, 0, supplier, now_total, now_failed)
        add(WarningKind.SUPPLIER, 1, supplier, base_total, base_failed)
    return {
        kind: ({v: c for v, c in now.items() if c[0]}, base) for kind, (now, base) in counts.items()
    }


def early_warnings(user: AnyUser, now: datetime | None = None) -> list[Flag]:
    """Markets, products and suppliers whose last-30-day failure rate is significantly above their
    own baseline (the 365 days before): one-sided exact binomial test, P(X ≥ k | n, p₀) < α with
    p₀ = (baseline failures + 1) / (baseline tests + 2).
    Also stalls with ≥ 2 failures in 30 days.

    A bounded number of queries: the counts (:func:`_warning_counts`), the failures since the
    start of the 30 days (≈ 1% of the tests, newest first, for the listed records and the
    stalls) and the names."""
    now = now or timezone.now()
    recent = now - timedelta(days=30)
    base_start = recent - timedelta(days=365)
    alpha = warning_alpha()
    market_names = dict(permissions.private_markets(user).order_by().values_list("pk", "name"))
    market_ids = list(market_names)
    # Every failure since the window opened (also any dated after ``now``, as the records
    # listed under a flag always were), newest first as the records are ordered.
    failures = list(
        TestRecord.objects.filter(market_id__in=market_ids, passed=False, tested_at__gte=recent)
        .values_list("pk", "market_id", "product_id", "supplier", "stall_id", "tested_at")
        .order_by("-tested_at", "-pk")
    )
    failing_suppliers = {row[3] for row in failures if row[3] and row[5] < now}
    counts = _warning_counts(market_ids, recent, now, base_start, failing_suppliers)
    product_names = dict(
        Product.objects.filter(pk__in=counts[WarningKind.PRODUCT][0].keys()).values_list(
            "pk", "name"
        )
    )
    labels = {
        WarningKind.MARKET: market_names,
        WarningKind.PRODUCT: product_names,
    }
    flags: list[Flag] = []
    for kind, column in (
        (WarningKind.MARKET, 1),
        (WarningKind.PRODUCT, 2),
        (WarningKind.SUPPLIER, 3),
    ):
        now_counts, base = counts[kind]
        for value in sorted(now_counts):
            n, k = now_counts[value]
            before = base.get(value, [0, 0])
            p0 = (before[1] + 1) / (before[0] + 2)
            if k == 0 or k / n <= p0:
                continue
            p_value = binomial_upper_tail(k, n, p0)
            if p_value < alpha:
                ids = [row[0] for row in failures if row[column] == value][:200]
                name = labels[kind][value] if kind in labels else value
                flags.append(
                    Flag(
                        kind,
                        WarningKind(kind).label,
                        None,
                        _(
                            "%(name)s: %(k)d failures in %(n)d tests in the last 30 days "
                            "(%(rate).2f%%) "
                            "against a baseline of %(base).2f%%; one-sided binomial p = %(p).2g."
                        )
                        % {
                            "name": name,
                            "k": k,
                            "n": n,
                            "rate": k / n * 100,
                            "base": p0 * 100,
                            "p": p_value,
                        },
                        ids,
                        {"p_value": p_value},
                    )
                )
    stall_ids: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, market_id, _product, _supplier, stall_id, _tested in failures:
        if stall_id is not None:
            stall_ids[(stall_id, market_id)].append(pk)
    position = {row[0]: index for index, row in enumerate(failures)}
    booths = dict(
        Stall.objects.filter(pk__in={stall for stall, _market in stall_ids}).values_list(
            "pk", "booth_number"
        )
    )
    # Grouped by stall, booth and market name, as before (one group per stall in practice).
    stalls: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for (stall_id, market_id), ids in stall_ids.items():
        stalls[(stall_id, booths[stall_id], market_names[market_id])].extend(ids)
    for (_stall, booth, market_name), ids in sorted(
        stalls.items(), key=lambda entry: (-len(entry[1]), entry[0][0])
    ):
        if len(ids) < 2:
            continue
        flags.append(
            Flag(
                WarningKind.STALL,
                WarningKind.STALL.label,
                None,
                _("Stall %(booth)s at %(market)s: %(n)d failures in the last 30 days.")
                % {"booth": booth, "market": market_name, "n": len(ids)},
                sorted(ids, key=position.__getitem__),
            )
        )
    return flags


def open_cases(user: AnyUser) -> QuerySet[FollowUpCase]:
    return FollowUpCase.objects.filter(market__in=permissions.private_markets(user))
