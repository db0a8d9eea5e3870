"""The public board (快检公示) and the rooms' quotas and scores, in batches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.indicators.rates import (
    round_gbt8170,
)
from zhizao.rapidtest import permissions
from zhizao.rapidtest.choices import (
    MANUAL_SOURCES,
    QuotaPeriod,
    detection_floor,
    detection_period_days,
    late_entry_hours,
)
from zhizao.rapidtest.filters import CASE_TIME_FIELDS, guarded_time
from zhizao.rapidtest.models import (
    MarketProfile,
    Product,
    RoomQuota,
    TestRecord,
)

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
