"""The figures of a province a rollup stores (registered from ``RollupsConfig.ready``): the
province's rapid-test and sampling pass rates of the year over every city whose export the
rollup read (``zhizao rollup DIR --store``). They exist for regions of level ``province`` only
(a city's own figures are its apps'); the nation's figures are stored with region code ``CN``
(no ``core.Region`` stands for the nation) and read from the model or the rollup's Parquet.
The drill-down lists the province's stored rows of that year (by month and category)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import RegionLevel
from zhizao.core.figures import Column, Direction, Indicator, Measure, Period, percent
from zhizao.core.models import Region
from zhizao.indicators.rates import PASS_RATE_DECIMALS
from zhizao.rollups.choices import ALL_CATEGORIES, RollupDataset, RollupLevel, RollupMeasure
from zhizao.rollups.models import RollupFigure

RULE = "合格率 = 合格批次 / 批次 × 100% (各城市导出数据汇总); GB/T 8170 修约 (rounding)"


def _rows(dataset: str) -> Callable[[Region, int], QuerySet[RollupFigure]]:
    def records(region: Region, year: int) -> QuerySet[RollupFigure]:
        return RollupFigure.objects.filter(
            region=region,
            level=RollupLevel.PROVINCE,
            dataset=dataset,
            measure=RollupMeasure.PASS_RATE,
            year=year,
        ).order_by("month", "category")

    return records


def _measure(dataset: str) -> Callable[[Region, int], Measure]:
    def measure(region: Region, year: int) -> Measure:
        if region.level != RegionLevel.PROVINCE:
            return Measure.missing(
                0, "省级汇总只有省有此数据", "a rollup figure exists for provinces only"
            )
        row = (
            _rows(dataset)(region, year)
            .filter(month=0, category=ALL_CATEGORIES)
            .values_list("passed", "total", "is_synthetic")
            .first()
        )
        if row is None or not row[1] or row[0] is None:
            return Measure.missing(
                0, f"{year} 年没有存储的省级汇总", f"no stored province rollup for {year}"
            )
        passed, total, synthetic = int(row[0]), int(row[1]), bool(row[2])
        return Measure(percent(passed, total, PASS_RATE_DECIMALS), total, synthetic)

    return measure


def _latest(dataset: str) -> Callable[[Region], int | None]:
    def latest(region: Region) -> int | None:
        year = RollupFigure.objects.filter(region=region, dataset=dataset).aggregate(
            last=Max("year")
        )["last"]
        return int(year) if year is not None else None

    return latest


COLUMNS = (
    Column(_("month"), "month"),
    Column(_("category"), "category"),
    Column(_("passed"), "passed"),
    Column(_("total"), "total"),
    Column(_("engine"), "engine"),
    Column(_("computed"), "computed_at"),
)


def _indicator(dataset: str, name: tuple[str, str], definition: tuple[str, str]) -> Indicator:
    return Indicator(
        code=f"rollups.{dataset}.pass_rate",
        name=name,
        definition=definition,
        unit="%",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=_measure(dataset),
        records=_rows(dataset),
        columns=COLUMNS,
        latest=_latest(dataset),
    )


INDICATORS = (
    _indicator(
        RollupDataset.RAPIDTEST,
        ("全省快检合格率", "Province rapid-test pass rate"),
        (
            "当年全省各城市快检合格批次占检测批次的百分比 (由各城市导出数据汇总)。",
            "Percentage of the batches rapid-tested in the province's cities in the year that "
            "passed (rolled up from the cities' exports).",
        ),
    ),
    _indicator(
        RollupDataset.SAMPLING,
        ("全省监督抽检合格率", "Province supervision-sampling pass rate"),
        (
            "当年全省各城市抽检批次中合格批次 (含复检后合格) 的百分比 (由各城市导出数据汇总)。",
            "Percentage of the batches sampled in the province's cities in the year that "
            "conform, re-tests included (rolled up from the cities' exports).",
        ),
    ),
)
