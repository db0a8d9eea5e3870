"""Read-side figures of rapid testing: the dashboard (from the rollups), the public board, quota
progress and room scores, integrity checks, the detection-rate floor and early warnings. Every
figure is computed from records; formulas (Wilson interval, decisions) come from the engine."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
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
from zhizao.rapidtest.models import (
    FollowUpCase,
    MarketMonthRollup,
    MarketProfile,
    MonthlyRollup,
    RoomQuota,
    TestRecord,
)

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


def scoped_rollups(user: AnyUser) -> QuerySet[MonthlyRollup]:
    return MonthlyRollup.objects.filter(market__in=permissions.private_markets(user))


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


def breakdown(queryset: QuerySet[MonthlyRollup], dimension: str) -> list[dict[str, Any]]:
    key, label = DIMENSIONS[dimension]
    if dimension == "year":
        queryset = queryset.annotate(year=ExtractYear("month"))
    fields = [key] + ([label] if label else [])
    rows = list(
        queryset.values(*fields)
        .annotate(total=Sum("total"), failed=Sum("failed"))
        .filter(total__gt=0)
        .order_by(key)
    )
    for row in rows:
        row["label"] = _label(dimension, row)
        row["key"] = _drill_value(dimension, row)
    return with_rates(rows)


def overall(queryset: QuerySet[MonthlyRollup]) -> dict[str, Any]:
    totals = queryset.aggregate(total=Sum("total"), failed=Sum("failed"))
    row = {"total": totals["total"] or 0, "failed": totals["failed"] or 0}
    return with_rates([row])[0]


def market_month(user: AnyUser) -> list[dict[str, Any]]:
    """Pass rate by market and month (the dashboard's hottest request), from its own rollup:
    one query, the Wilson intervals computed for all rows at once by the engine."""
    market_ids = list(permissions.private_markets(user).values_list("pk", flat=True))
    return _market_month_rows(market_ids)


def _market_month_rows(market_ids: list[int]) -> list[dict[str, Any]]:
    rows = list(
        MarketMonthRollup.objects.filter(market_id__in=market_ids, total__gt=0)
        .values_list("market_id", "month", "total", "failed")
        .order_by("market_id", "month")
    )
    if not rows:
        return []
    markets, months, totals, failures = zip(*rows, strict=True)
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
            "rate": rate,
            "low": lo,
            "high": hi,
        }
        for market_id, label, n, f, k, rate, lo, hi in zip(
            markets,
            labels,
            totals,
            failures,
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


def board(market: Organization) -> dict[str, Any]:
    """快检公示: today's and this week's tests of one market and what was done with failures."""
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - timedelta(days=today.weekday())
    records = (
        TestRecord.objects.filter(market=market, tested_at__gte=week)
        .select_related("product", "item", "stall", "case")
        .order_by("-tested_at")
    )
    week_rows = list(records[:500])
    today_rows = [r for r in week_rows if r.tested_at >= today]
    week_counts = TestRecord.objects.filter(market=market, tested_at__gte=week).aggregate(
        total=Count("pk"), failed=Count("pk", filter=Q(passed=False))
    )
    return {"today": today_rows, "week": week_rows, "week_counts": week_counts, "now": now}


# --- Quotas and scores ---------------------------------------------------------------------------


def period_start(period: str, now: datetime) -> datetime:
    local = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == QuotaPeriod.WEEK:
        return local - timedelta(days=local.weekday())
    return local.replace(day=1, month=3 * ((local.month - 1) // 3) + 1)


@dataclass
class RoomScore:
    market: Organization
    quotas: list[dict[str, Any]] = field(default_factory=list)
    quota_share: float = 1.0
    timely_share: float = 1.0
    evidence_share: float = 1.0
    detection_rate: float | None = None
    score: float = 0.0


def room_scores(user: AnyUser, now: datetime | None = None) -> list[RoomScore]:
    """Score per room (0–100): quota met 40, timeliness 20, evidence 20, detection 20."""
    now = now or timezone.now()
    markets = list(permissions.private_markets(user).order_by("name"))
    since = now - timedelta(days=detection_period_days())
    stats = {
        row["market_id"]: row
        for row in TestRecord.objects.filter(market__in=markets, tested_at__gte=since)
        .values("market_id")
        .annotate(
            total=Count("pk"),
            failed=Count("pk", filter=Q(passed=False)),
            manual=Count("pk", filter=Q(source__in=MANUAL_SOURCES)),
            late=Count(
                "pk",
                filter=Q(
                    source__in=MANUAL_SOURCES,
                    entered_at__gt=F("tested_at") + timedelta(hours=late_entry_hours()),
                ),
            ),
            photo=Count("pk", filter=Q(source__in=MANUAL_SOURCES) & ~Q(photo="")),
        )
        .order_by()
    }
    evidence_markets = set(
        MarketProfile.objects.filter(evidence_required=True).values_list(
            "organization_id", flat=True
        )
    )
    quotas: dict[int, list[RoomQuota]] = defaultdict(list)
    for quota in RoomQuota.objects.filter(market__in=markets):
        quotas[quota.market_id].append(quota)
    scores = []
    floor = detection_floor()
    for market in markets:
        score = RoomScore(market=market)
        shares = []
        for quota in quotas.get(market.pk, []):
            start = period_start(quota.period, now)
            done_qs = TestRecord.objects.filter(market=market, tested_at__gte=start)
            if quota.category:
                done_qs = done_qs.filter(product__category=quota.category)
            done = done_qs.count()
            shares.append(min(1.0, done / quota.batches) if quota.batches else 1.0)
            score.quotas.append({"quota": quota, "done": done, "start": start})
        score.quota_share = min(shares) if shares else 1.0
        row = stats.get(market.pk)
        if row and row["manual"]:
            score.timely_share = 1 - row["late"] / row["manual"]
            if market.pk in evidence_markets:
                score.evidence_share = row["photo"] / row["manual"]
        if row and row["total"]:
            score.detection_rate = row["failed"] / row["total"]
        detection_share = (
            1.0
            if score.detection_rate is None or floor <= 0
            else min(1.0, score.detection_rate / floor)
        )
        score.score = round_gbt8170(
            40 * score.quota_share
            + 20 * score.timely_share
            + 20 * score.evidence_share
            + 20 * detection_share,
            1,
        )
        scores.append(score)
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
        .values_list(
            "pk",
            "market_id",
            "item_id",
            "item__direction",
            "value",
            "tested_at",
            "entered_at",
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
    for pk, market_id, _item, _direction, _value, tested, entered, source, *_rest, photo in rows:
        profile = getattr(markets[market_id], "rapidtest_profile", None)
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
            local = timezone.localtime(tested).time()
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


def detection_floor_flags(user: AnyUser, now: datetime | None = None) -> list[Flag]:
    """Rooms whose failure-detection rate over the period stays below the floor."""
    now = now or timezone.now()
    since = now - timedelta(days=detection_period_days())
    floor = detection_floor()
    flags = []
    markets = {m.pk: m for m in permissions.private_markets(user)}
    for row in (
        TestRecord.objects.filter(market__in=markets.keys(), tested_at__gte=since)
        .values("market_id")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(passed=False)))
        .order_by()
    ):
        if row["total"] >= 100 and row["failed"] / row["total"] < floor:
            flags.append(
                Flag(
                    "detection_floor",
                    _("Detection rate below the floor"),
                    markets[row["market_id"]],
                    _(
                        "%(failed)d failures in %(total)d tests over %(days)d days (%(rate).2f%%), "
                        "below the floor of %(floor).2f%%: a perfect pass rate is a warning sign."
                    )
                    % {
                        "failed": row["failed"],
                        "total": row["total"],
                        "days": detection_period_days(),
                        "rate": row["failed"] / row["total"] * 100,
                        "floor": floor * 100,
                    },
                    extra={"market_id": row["market_id"]},
                )
            )
    return flags


def early_warnings(user: AnyUser, now: datetime | None = None) -> list[Flag]:
    """Markets, products and suppliers whose last-30-day failure rate is significantly above their
    own baseline (the 365 days before): one-sided exact binomial test, P(X ≥ k | n, p₀) < α with
    p₀ = (baseline failures + 1) / (baseline tests + 2).
    Also stalls with ≥ 2 failures in 30 days."""
    now = now or timezone.now()
    recent = now - timedelta(days=30)
    base_start = recent - timedelta(days=365)
    alpha = warning_alpha()
    market_ids = list(permissions.private_markets(user).values_list("pk", flat=True))
    records = TestRecord.objects.filter(market__in=market_ids)
    flags: list[Flag] = []
    groups = (
        (WarningKind.MARKET, "market_id", "market__name"),
        (WarningKind.PRODUCT, "product_id", "product__name"),
        (WarningKind.SUPPLIER, "supplier", "supplier"),
    )
    for kind, key, label in groups:

        def counts(
            start: datetime, end: datetime, kind: str = kind, key: str = key, label: str = label
        ) -> dict[Any, dict[str, Any]]:
            qs = records.filter(tested_at__gte=start, tested_at__lt=end)
            if kind == WarningKind.SUPPLIER:
                qs = qs.exclude(supplier="")
            return {
                row[key]: row
                for row in qs.values(key, label)
                .annotate(total=Count("pk"), failed=Count("pk", filter=Q(passed=False)))
                .order_by()
            }

        now_counts, base = counts(recent, now), counts(base_start, recent)
        for value, row in now_counts.items():
            before = base.get(value, {"total": 0, "failed": 0})
            p0 = (before["failed"] + 1) / (before["total"] + 2)
            k, n = row["failed"], row["total"]
            if k == 0 or k / n <= p0:
                continue
            p_value = binomial_upper_tail(k, n, p0)
            if p_value < alpha:
                filters = {key: value, "passed": False, "tested_at__gte": recent}
                ids = list(records.filter(**filters).values_list("pk", flat=True)[:200])
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
                            "name": row[label],
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
    for stall_row in (
        records.filter(tested_at__gte=recent, passed=False, stall__isnull=False)
        .values("stall_id", "stall__booth_number", "market__name")
        .annotate(failed=Count("pk"))
        .filter(failed__gte=2)
        .order_by("-failed")
    ):
        ids = list(
            records.filter(
                stall_id=stall_row["stall_id"], passed=False, tested_at__gte=recent
            ).values_list("pk", flat=True)
        )
        flags.append(
            Flag(
                WarningKind.STALL,
                WarningKind.STALL.label,
                None,
                _("Stall %(booth)s at %(market)s: %(n)d failures in the last 30 days.")
                % {
                    "booth": stall_row["stall__booth_number"],
                    "market": stall_row["market__name"],
                    "n": stall_row["failed"],
                },
                ids,
            )
        )
    return flags


def open_cases(user: AnyUser) -> QuerySet[FollowUpCase]:
    return FollowUpCase.objects.filter(market__in=permissions.private_markets(user))
