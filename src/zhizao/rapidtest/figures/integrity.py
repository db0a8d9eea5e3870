"""Integrity checks of the data, the detection-rate floor and early warnings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.indicators.rates import (
    binomial_upper_tail,
)
from zhizao.rapidtest import permissions
from zhizao.rapidtest.choices import (
    MANUAL_SOURCES,
    IntegrityCheck,
    WarningKind,
    detection_floor,
    detection_period_days,
    late_entry_hours,
    warning_alpha,
)
from zhizao.rapidtest.figures.board import RoomScore, batch_counts
from zhizao.rapidtest.models import (
    FollowUpCase,
    MonthlyRollup,
    Product,
    Stall,
    SupplierMonthRollup,
    TestRecord,
)

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


def month_split(
    start: datetime, end: datetime
) -> tuple[list[date], list[tuple[datetime, datetime]]]:
    """``[start, end)`` as the whole months of the city's calendar inside it (first days, as the
    rollups key them) and the parts outside them (at most two): the rollups answer for the
    months, the records for the parts."""
    tz = timezone.get_current_timezone()

    def month_start(day: date) -> datetime:
        return datetime.combine(day.replace(day=1), time(0, 0), tzinfo=tz)

    def next_month(day: date) -> date:
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)

    first = timezone.localtime(start, tz).date().replace(day=1)
    if month_start(first) < start:
        first = next_month(first)
    months: list[date] = []
    month = first
    while month_start(next_month(month)) <= end:
        months.append(month)
        month = next_month(month)
    if not months:
        return [], [(start, end)] if start < end else []
    parts = [(start, month_start(months[0])), (month_start(next_month(months[-1])), end)]
    return months, [(a, b) for a, b in parts if a < b]


def _union_all(querysets: list[QuerySet[Any, Any]]) -> QuerySet[Any, Any]:
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


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

    Whole months of either window come from the rollups (per market and product from the
    detail rollup, per supplier from the supplier rollup, both kept by every write); the rest
    of each window (the 30 days, at most two part months of the baseline) from the records,
    through the (market, tested_at, product, passed) and (supplier, market, tested_at, passed)
    indexes alone. The same counts as over the records alone (tests/test_fast_figures.py)."""
    counts: dict[str, tuple[dict[Any, list[int]], dict[Any, list[int]]]] = {
        kind: (defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0]))
        for kind in (WarningKind.MARKET, WarningKind.PRODUCT, WarningKind.SUPPLIER)
    }

    def add(kind: str, window: int, value: Any, total: int, failed: int) -> None:
        pair = counts[kind][window][value]
        pair[0] += total
        pair[1] += failed

    windows = [month_split(recent, now), month_split(base_start, recent)]
    # The records outside whole months: one plain range per part, the parts' grouped counts
    # in one UNION ALL (an OR of ranges would make PostgreSQL read the table's pages rather
    # than the index alone). Counted on market_id (never null), not on the id: both indexes
    # hold the market and no id.
    scope = TestRecord.objects.filter(market_id__in=market_ids)
    tests = {"total": Count("market_id"), "failed": Count("market_id", filter=Q(passed=False))}
    parts = [
        (window, scope.filter(tested_at__gte=part_start, tested_at__lt=part_end))
        for window, (_months, ranges) in enumerate(windows)
        for part_start, part_end in ranges
    ]
    if parts:
        by_product = [
            part.values_list("market_id", "product_id")
            .annotate(window=Value(window), **tests)
            .order_by()
            for window, part in parts
        ]
        for market_id, product_id, window, total, failed in _union_all(by_product):
            add(WarningKind.MARKET, window, market_id, total, failed)
            add(WarningKind.PRODUCT, window, product_id, total, failed)
        if suppliers:
            by_supplier = [
                part.filter(supplier__in=suppliers)
                .exclude(supplier="")
                .values_list("supplier")
                .annotate(window=Value(window), **tests)
                .order_by()
                for window, part in parts
            ]
            for supplier, window, total, failed in _union_all(by_supplier):
                add(WarningKind.SUPPLIER, window, supplier, total, failed)
    # Whole months from the rollups: one grouped query per table, a sum per window.
    months = {window: found for window, (found, _ranges) in enumerate(windows) if found}
    if months:
        sums = {}
        for window, found in months.items():
            sums[f"w{window}_total"] = Sum("total", filter=Q(month__in=found))
            sums[f"w{window}_failed"] = Sum("failed", filter=Q(month__in=found))
        every_month = [month for found in months.values() for month in found]
        for market_id, product_id, *numbers in (
            MonthlyRollup.objects.filter(market_id__in=market_ids, month__in=every_month)
            .values_list("market_id", "product_id")
            .annotate(**sums)
            .order_by()
        ):
            for index, window in enumerate(months):
                total, failed = numbers[2 * index] or 0, numbers[2 * index + 1] or 0
                add(WarningKind.MARKET, window, market_id, total, failed)
                add(WarningKind.PRODUCT, window, product_id, total, failed)
        if suppliers:
            for supplier, *numbers in (
                SupplierMonthRollup.objects.filter(
                    market_id__in=market_ids, month__in=every_month, supplier__in=suppliers
                )
                .values_list("supplier")
                .annotate(**sums)
                .order_by()
            ):
                for index, window in enumerate(months):
                    total, failed = numbers[2 * index] or 0, numbers[2 * index + 1] or 0
                    add(WarningKind.SUPPLIER, window, supplier, total, failed)
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
    # Read through the failures' time index alone (the markets are checked here: with every
    # market in the query, PostgreSQL prefers to walk all failures ever recorded).
    allowed = set(market_ids)
    failures = [
        row
        for row in TestRecord.objects.filter(passed=False, tested_at__gte=recent)
        .values_list("pk", "market_id", "product_id", "supplier", "stall_id", "tested_at")
        .order_by("-tested_at", "-pk")
        if row[1] in allowed
    ]
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
