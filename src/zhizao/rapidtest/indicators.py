"""The figures rapid testing publishes (registered from ``RapidtestConfig.ready``).

Batches (samples: a batch fails if any of its tests fails) and pass rates are counted from the
market × month rollup (exactly the records' counts, tests/test_staff_pages_fast.py checks it), so a
figure over 1.1 million batches is one small query; the drill-down lists the tests themselves
(with their sample codes; docs/decisions/0006-rapidtest-batches.md). Rates come from the engine
(``zhizao.indicators.rates``), in percent, rounded per GB/T 8170."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import OrganizationKind
from zhizao.core.figures import (
    Column,
    Direction,
    Indicator,
    Measure,
    Period,
    counted,
    in_region,
    month_bounds,
    percent,
    period_years,
    year_bounds,
)
from zhizao.core.models import Organization, Region
from zhizao.indicators.rates import PASS_RATE_DECIMALS, pass_rate
from zhizao.rapidtest.models import MarketMonthRollup, TestRecord

COVERAGE_DECIMALS = 1  # as the dashboard's coverage
SHARE_DECIMALS = 1
PASS_RATE_RULE = "合格率 = 合格批次 / 检测批次 × 100%; GB/T 8170 修约 (rounding)"


def _years_text(period: str, year: int) -> tuple[str, str]:
    first, last = period_years(period, year)
    span = str(last) if first == last else f"{first}–{last}"
    return span, span


def _no_batches(period: str, year: int) -> Measure:
    zh, en = _years_text(period, year)
    return Measure.missing(0, f"{zh} 年没有快检记录", f"no rapid-test records for {en}")


# --- Markets and their test rooms ------------------------------------------------------------


def markets(region: Region, year: int) -> QuerySet[Organization]:
    """Markets of the region with a rapid-test profile (with or without a room)."""
    return Organization.objects.filter(
        in_region(region, "region"), rapidtest_profile__isnull=False
    ).order_by("region__path", "name")


def _has_room(year: int) -> Q:
    """A room that existed at the end of ``year`` (a room without a start date always did)."""
    return Q(rapidtest_profile__has_test_room=True) & (
        Q(rapidtest_profile__test_room_since__isnull=True)
        | Q(rapidtest_profile__test_room_since__lte=date(year, 12, 31))
    )


def rooms(region: Region, year: int) -> QuerySet[Organization]:
    return markets(region, year).filter(_has_room(year))


def _coverage_by_count(region: Region, year: int) -> Measure:
    figures = markets(region, year).aggregate(
        markets=Count("pk"), rooms=Count("pk", filter=_has_room(year))
    )
    total, with_room = figures["markets"] or 0, figures["rooms"] or 0
    synthetic = markets(region, year).filter(is_synthetic=True).exists()
    if not total:
        return Measure.missing(0, "没有登记的市场", "no markets registered", synthetic)
    return Measure(percent(with_room, total, COVERAGE_DECIMALS), total, synthetic)


def _coverage_by_volume(region: Region, year: int) -> Measure:
    figures = markets(region, year).aggregate(
        markets=Count("pk"),
        volume=Sum("rapidtest_profile__annual_volume_t"),
        room_volume=Sum("rapidtest_profile__annual_volume_t", filter=_has_room(year)),
    )
    total = figures["markets"] or 0
    volume, room_volume = figures["volume"] or 0.0, figures["room_volume"] or 0.0
    synthetic = markets(region, year).filter(is_synthetic=True).exists()
    if not volume:
        return Measure.missing(
            total, "没有登记交易量的市场", "no market with a recorded trading volume", synthetic
        )
    return Measure(percent(room_volume, volume, COVERAGE_DECIMALS), total, synthetic)


# --- Batches -----------------------------------------------------------------------------------


def _market_ids(region: Region) -> list[int]:
    return list(markets(region, 0).values_list("pk", flat=True))


def batches(period: str) -> Callable[[Region, int], QuerySet[TestRecord]]:
    def records(region: Region, year: int) -> QuerySet[TestRecord]:
        from zhizao.rapidtest.filters import scoped_records

        start, end = year_bounds(period, year)
        assert start is not None
        return scoped_records(_market_ids(region)).filter(tested_at__gte=start, tested_at__lt=end)

    return records


def latest_year(region: Region) -> int | None:
    """The latest year with a rapid test in the region (from the rollups)."""
    month = (
        MarketMonthRollup.objects.filter(market_id__in=_market_ids(region), batches__gt=0)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return month.year if month is not None else None


def _counts(region: Region, period: str, year: int) -> dict[str, int]:
    first, last = month_bounds(period, year)
    assert first is not None
    sums = MarketMonthRollup.objects.filter(
        market_id__in=_market_ids(region), month__gte=first, month__lte=last
    ).aggregate(
        batch_sum=Sum("batches"),
        failures=Sum("batches_failed"),
        farmers=Sum("batches", filter=Q(market__kind=OrganizationKind.FARMERS_MARKET)),
        tests=Sum("total"),
    )
    return {
        "total": int(sums["batch_sum"] or 0),
        "failed": int(sums["failures"] or 0),
        "farmers": int(sums["farmers"] or 0),
        "tests": int(sums["tests"] or 0),
    }


def _synthetic(region: Region, period: str, year: int) -> bool:
    return bool(batches(period)(region, year).filter(is_synthetic=True).exists())


def _batch_count(period: str) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        counts = _counts(region, period, year)
        total = counts["total"]
        if not total:
            return _no_batches(period, year)
        # Computed from the tests the drill-down lists (one or more per batch).
        return Measure(total, counts["tests"], _synthetic(region, period, year))

    return measure


def _pass_rate(period: str) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        counts = _counts(region, period, year)
        total = counts["total"]
        if not total:
            return _no_batches(period, year)
        rate = pass_rate(total - counts["failed"], total).percent(PASS_RATE_DECIMALS)[0]
        return Measure(
            percent(rate, 100, PASS_RATE_DECIMALS),
            counts["tests"],
            _synthetic(region, period, year),
        )

    return measure


def _farmers_market_share(region: Region, year: int) -> Measure:
    counts = _counts(region, Period.FIVE_YEARS, year)
    if not counts["total"]:
        return _no_batches(Period.FIVE_YEARS, year)
    return Measure(
        percent(counts["farmers"], counts["total"], SHARE_DECIMALS),
        counts["tests"],
        _synthetic(region, Period.FIVE_YEARS, year),
    )


def _result(record: TestRecord) -> str:
    return str(_("pass") if record.passed else _("fail"))


def _room(market: Organization) -> str:
    return str(_("yes") if market.rapidtest_profile.has_test_room else _("no"))


RECORD_COLUMNS = (
    Column(_("tested"), "tested_at"),
    Column(_("sample code"), "sample_code"),
    Column(_("market"), "market__name"),
    Column(_("product"), "product__name"),
    Column(_("test item"), "item__name"),
    Column(_("value"), "value"),
    Column(_("result"), _result),
)
RECORD_RELATED = ("market", "product", "item")
MARKET_COLUMNS = (
    Column(_("market"), "name"),
    Column(_("district"), "region__name"),
    Column(_("type"), "get_kind_display"),
    Column(_("has a test room"), _room),
    Column(_("test room since"), "rapidtest_profile__test_room_since"),
    Column(_("annual trading volume (t)"), "rapidtest_profile__annual_volume_t"),
)
MARKET_RELATED = ("region", "rapidtest_profile")

# Each figure's drill-down lists either markets or tested batches: one declaration per family.
_on_markets = partial(Indicator, columns=MARKET_COLUMNS, select_related=MARKET_RELATED)
_on_batches = partial(
    Indicator, columns=RECORD_COLUMNS, select_related=RECORD_RELATED, latest=latest_year
)

INDICATORS = (
    _on_markets(
        code="rapidtest.rooms",
        name=("农产品快检室", "Rapid-test rooms"),
        definition=(
            "年末已建成快检室的农贸市场和商超数。",
            "Farmers' markets and supermarkets with a rapid-test room at the end of the year.",
        ),
        unit="个",
        standard="食用农产品市场销售质量安全监督管理办法 (market testing rule)",
        direction=Direction.HIGHER,
        period=Period.CUMULATIVE,
        measure=lambda region, year: counted(rooms(region, year)),
        records=rooms,
    ),
    _on_markets(
        code="rapidtest.coverage_by_count",
        name=("快检室覆盖率（按市场数）", "Test-room coverage by number of markets"),
        definition=(
            "年末有快检室的市场占登记市场总数的百分比。",
            "Share of the registered markets that have a test room at the end of the year.",
        ),
        unit="%",
        standard="有快检室市场数 / 市场总数 × 100%; GB/T 8170 修约",
        direction=Direction.HIGHER,
        period=Period.CUMULATIVE,
        measure=_coverage_by_count,
        records=markets,
    ),
    _on_markets(
        code="rapidtest.coverage_by_volume",
        name=("快检室覆盖率（按交易量）", "Test-room coverage by trading volume"),
        definition=(
            "年末有快检室的市场年交易量占全部登记市场年交易量的百分比。",
            "Share of the registered markets' annual trading volume handled by markets with a "
            "test room at the end of the year.",
        ),
        unit="%",
        standard="有快检室市场交易量 / 市场总交易量 × 100%; GB/T 8170 修约",
        direction=Direction.HIGHER,
        period=Period.CUMULATIVE,
        measure=_coverage_by_volume,
        records=markets,
    ),
    _on_batches(
        code="rapidtest.batches_5y",
        name=("五年快检批次", "Rapid-test batches over five years"),
        definition=(
            "截至当年的五年内快检的食用农产品批次数。",
            "Batches of edible agricultural products rapid-tested in the five years ending "
            "that year.",
        ),
        unit="批次",
        standard="GB/T 5009.199-2003 等快速检测方法 (rapid test methods)",
        direction=Direction.NEITHER,
        period=Period.FIVE_YEARS,
        measure=_batch_count(Period.FIVE_YEARS),
        records=batches(Period.FIVE_YEARS),
    ),
    _on_batches(
        code="rapidtest.pass_rate_5y",
        name=("五年快检合格率", "Rapid-test pass rate over five years"),
        definition=(
            "截至当年的五年内快检合格批次占检测批次的百分比。",
            "Percentage of the batches rapid-tested in the five years ending that year that "
            "passed.",
        ),
        unit="%",
        standard=PASS_RATE_RULE,
        direction=Direction.HIGHER,
        period=Period.FIVE_YEARS,
        measure=_pass_rate(Period.FIVE_YEARS),
        records=batches(Period.FIVE_YEARS),
    ),
    _on_batches(
        code="rapidtest.pass_rate",
        name=("年度快检合格率", "Rapid-test pass rate of the year"),
        definition=(
            "当年快检合格批次占检测批次的百分比。",
            "Percentage of the batches rapid-tested in the year that passed.",
        ),
        unit="%",
        standard=PASS_RATE_RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=_pass_rate(Period.YEAR),
        records=batches(Period.YEAR),
    ),
    _on_batches(
        code="rapidtest.farmers_market_share",
        name=("农贸市场快检批次占比", "Share of batches tested in farmers' markets"),
        definition=(
            "截至当年的五年内快检批次中在农贸市场检测的百分比。",
            "Percentage of the batches rapid-tested in the five years ending that year that "
            "were tested in farmers' markets.",
        ),
        unit="%",
        standard="农贸市场批次 / 全部批次 × 100%; GB/T 8170 修约",
        direction=Direction.NEITHER,
        period=Period.FIVE_YEARS,
        measure=_farmers_market_share,
        records=batches(Period.FIVE_YEARS),
    ),
)
