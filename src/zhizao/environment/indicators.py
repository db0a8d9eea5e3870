"""The figures environmental quality publishes (registered from ``EnvironmentConfig.ready``).

Air figures are the engine's annual evaluation (``zhizao.indicators.air_eval``) of the city's
stored station-hours (``environment/evaluation.py``); their drill-down lists the city's days
(the engine's daily results, refreshed by every import), each day linking to its station-hours.
Water figures are the engine's GB 3838 classes and pass rates (``zhizao.indicators.water``,
``watersupply``, ``rates``) of the samples of the year. Nothing is computed here."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import Column, Direction, Indicator, Measure, Period, in_region, percent
from zhizao.core.models import Region
from zhizao.environment import evaluation
from zhizao.environment.choices import SectionKind, TapKind
from zhizao.environment.models import (
    CityAirDay,
    EffluentSample,
    TapWaterSample,
    WaterSample,
    WaterSection,
)
from zhizao.indicators import water, watersupply
from zhizao.indicators.rates import PASS_RATE_DECIMALS, pass_rate, round_gbt8170

BASE_YEAR = 2013
HJ663 = "HJ 663-2013 / HJ 633-2012 (HJ 633-2026 from 2026-03-01); GB 3095 Table 4 validity"

POLLUTANT_FIGURES: dict[str, tuple[str, str, str, str, int]] = {
    # key: (zh name, en name, statistic key in the evaluation, unit, decimals)
    "so2": ("二氧化硫年平均浓度", "SO2 annual mean", "so2", "µg/m³", 0),
    "no2": ("二氧化氮年平均浓度", "NO2 annual mean", "no2", "µg/m³", 0),
    "pm10": ("PM10 年平均浓度", "PM10 annual mean", "pm10", "µg/m³", 0),
    "pm2_5": ("PM2.5 年平均浓度", "PM2.5 annual mean", "pm2_5", "µg/m³", 0),
    "co": ("一氧化碳日均值第95百分位数", "CO 95th percentile of daily means", "co_p95", "mg/m³", 1),
    "o3": (
        "臭氧日最大8小时平均第90百分位数",
        "O3 90th percentile of the daily maximum 8-hour mean",
        "o3_8h_p90",
        "µg/m³",
        0,
    ),
}

# Sections whose annual class is published as ``water.<code>.class`` (the national assessment
# sections of the Xiang River in the demo city; docs/environment.md).
PUBLISHED_SECTIONS = ("XJ-ZT", "XJ-BS", "XJ-MJH")


def _no_air(year: int) -> Measure:
    return Measure.missing(0, f"{year} 年没有空气质量小时数据", f"no hourly air data for {year}")


def _decimal(value: float, ndigits: int) -> Decimal:
    return Decimal(str(round_gbt8170(value, ndigits))).quantize(Decimal(1).scaleb(-ndigits))


# --- Air: records ----------------------------------------------------------------------------


def _city(region: Region) -> Region:
    node: Region | None = region
    while node is not None and node.level not in ("city", "province"):
        node = node.parent
    return node or region


def city_days(region: Region, year: int) -> QuerySet[CityAirDay]:
    return CityAirDay.objects.filter(city=_city(region), day__year=year).order_by("day")


def valid_days(region: Region, year: int) -> QuerySet[CityAirDay]:
    return city_days(region, year).filter(valid=True)


def good_days(region: Region, year: int) -> QuerySet[CityAirDay]:
    return valid_days(region, year).filter(aqi__lte=100)


def change_days(region: Region, year: int) -> QuerySet[CityAirDay]:
    return CityAirDay.objects.filter(city=_city(region), day__year__in=[BASE_YEAR, year]).order_by(
        "day"
    )


def _day_link(day: CityAirDay) -> Any:
    url = reverse("environment:air_day", args=[day.city.code or day.city_id, day.day.isoformat()])
    return format_html('<a href="{}">{}</a>', url, day.day.isoformat())


def _number(value: float | None, ndigits: int = 0) -> str:
    if value is None:
        return ""
    return f"{round_gbt8170(value, ndigits):.{ndigits}f}"


DAY_COLUMNS = (
    Column(_("Date"), _day_link),
    Column("AQI", lambda d: "" if d.aqi is None else d.aqi),
    Column(_("Primary pollutant"), "primary"),
    Column("PM2.5", lambda d: _number(d.pm2_5)),
    Column("PM10", lambda d: _number(d.pm10)),
    Column("SO2", lambda d: _number(d.so2)),
    Column("NO2", lambda d: _number(d.no2)),
    Column("CO", lambda d: _number(d.co, 2)),
    Column(_("O3 max 8 h"), lambda d: _number(d.o3_8h)),
    Column(_("Stations"), "stations"),
    Column(_("Missing daily values"), "missing"),
)


def latest_air_year(region: Region) -> int | None:
    day = CityAirDay.objects.filter(city=_city(region)).aggregate(last=Max("day"))["last"]
    return day.year if day else None


# --- Air: measures ---------------------------------------------------------------------------


def _evaluated(region: Region, year: int) -> evaluation.Evaluated | None:
    return evaluation.city_year(_city(region), year)


def _synthetic(region: Region, year: int) -> bool:
    return city_days(region, year).filter(is_synthetic=True).exists()


def _good_days(region: Region, year: int) -> Measure:
    found = _evaluated(region, year)
    if found is None:
        return _no_air(year)
    value = found.evaluation.good_days
    return Measure(value, value, _synthetic(region, year))


def _valid_days(region: Region, year: int) -> Measure:
    found = _evaluated(region, year)
    if found is None:
        return _no_air(year)
    value = found.evaluation.valid_days
    return Measure(value, value, _synthetic(region, year))


def _ratio(region: Region, year: int) -> Measure:
    found = _evaluated(region, year)
    if found is None:
        return _no_air(year)
    result = found.evaluation
    if not result.valid_days:
        return Measure.missing(0, "没有有效天", "no valid days", _synthetic(region, year))
    value = _decimal(result.good_day_ratio_rounded(1), 1)
    return Measure(value, result.valid_days, _synthetic(region, year))


def _records_of_year(region: Region, year: int) -> int:
    return city_days(region, year).count()


def _composite(region: Region, year: int) -> Measure:
    found = _evaluated(region, year)
    if found is None:
        return _no_air(year)
    index = found.evaluation.composite
    records = _records_of_year(region, year)
    if index.reason is not None or math.isnan(index.total):
        reason = index.reason or "composite index undefined"
        return Measure.missing(records, f"综合指数无法计算: {reason}", reason)
    return Measure(_decimal(index.rounded(2), 2), records, _synthetic(region, year))


def _pollutant(key: str, region: Region, year: int) -> Measure:
    found = _evaluated(region, year)
    if found is None:
        return _no_air(year)
    _zh, _en, statistic, _unit, ndigits = POLLUTANT_FIGURES[key]
    value = found.evaluation.concentrations.get(statistic, math.nan)
    records = _records_of_year(region, year)
    if math.isnan(value):
        return Measure.missing(records, f"{key} 无有效日数据", f"no valid daily {key} values")
    return Measure(_decimal(value, ndigits), records, _synthetic(region, year))


def _change(key: str, region: Region, year: int) -> Measure:
    city = _city(region)
    change = evaluation.compare(city, year, BASE_YEAR)
    records = change_days(region, year).count()
    if change is None:
        return Measure.missing(
            records,
            f"{BASE_YEAR} 年或 {year} 年没有空气质量数据",
            f"no air data for {BASE_YEAR} or {year}",
        )
    statistic = POLLUTANT_FIGURES[key][2]
    found = change.concentrations.get(statistic)
    rounded = found.percent_rounded(1) if found is not None else None
    if rounded is None or math.isnan(rounded):
        return Measure.missing(records, "无法计算变化", "change undefined")
    synthetic = change_days(region, year).filter(is_synthetic=True).exists()
    return Measure(_decimal(rounded, 1), records, synthetic)


def _ratio_change(region: Region, year: int) -> Measure:
    change = evaluation.compare(_city(region), year, BASE_YEAR)
    records = change_days(region, year).count()
    if change is None:
        return Measure.missing(
            records,
            f"{BASE_YEAR} 年或 {year} 年没有空气质量数据",
            f"no air data for {BASE_YEAR} or {year}",
        )
    value = change.good_day_ratio.points_rounded(1)
    synthetic = change_days(region, year).filter(is_synthetic=True).exists()
    return Measure(_decimal(value, 1), records, synthetic)


def _air(
    code: str,
    name: tuple[str, str],
    definition: tuple[str, str],
    unit: str,
    direction: str,
    measure: Callable[[Region, int], Measure],
    records: Callable[[Region, int], QuerySet[Any]],
) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        definition=definition,
        unit=unit,
        standard=HJ663,
        direction=direction,
        period=Period.YEAR,
        measure=measure,
        records=records,
        columns=DAY_COLUMNS,
        select_related=("city",),
        latest=latest_air_year,
    )


AIR_INDICATORS: tuple[Indicator, ...] = (
    _air(
        "air.good_days",
        ("空气质量优良天数", "Days of good air quality"),
        (
            "城市日空气质量指数 AQI ≤ 100 (优、良) 的有效天数。",
            "Valid days whose city daily AQI is at most 100 (excellent or good).",
        ),
        "天",
        Direction.HIGHER,
        _good_days,
        good_days,
    ),
    _air(
        "air.valid_days",
        ("空气质量有效监测天数", "Valid air-quality days"),
        (
            "城市日空气质量指数有效的天数 (GB 3095 表 4 数据有效性)。",
            "Days with a valid city daily AQI (GB 3095 Table 4 data validity).",
        ),
        "天",
        Direction.HIGHER,
        _valid_days,
        valid_days,
    ),
    _air(
        "air.good_day_ratio",
        ("空气质量优良天数比例", "Good-day ratio"),
        ("优良天数占有效天数的百分比。", "Good days as a percentage of valid days."),
        "%",
        Direction.HIGHER,
        _ratio,
        valid_days,
    ),
    _air(
        "air.good_day_ratio.change_vs_2013",
        ("优良天数比例较 2013 年变化", "Good-day ratio change against 2013"),
        (
            "当年优良天数比例减去 2013 年的, 单位为百分点。",
            "The year's good-day ratio minus 2013's, in percentage points.",
        ),
        "百分点",
        Direction.HIGHER,
        _ratio_change,
        change_days,
    ),
    _air(
        "air.composite_index",
        ("环境空气质量综合指数", "Ambient air quality composite index"),
        (
            "六项污染物评价浓度与年二级标准之比的和 (SO2、NO2、PM10、PM2.5 年均值, CO 第95"
            "百分位数, O3 第90百分位数), 越小越好。",
            "Sum of the six pollutants' evaluation values over their class-2 limits (annual"
            " means of SO2, NO2, PM10, PM2.5; CO 95th, O3 90th percentile); lower is better.",
        ),
        "",
        Direction.LOWER,
        _composite,
        city_days,
    ),
)

for _key, (_zh, _en, _stat, _unit, _nd) in POLLUTANT_FIGURES.items():
    AIR_INDICATORS += (
        _air(
            f"air.{_key}",
            (_zh, _en),
            (
                f"城市{_zh} (HJ 663 年评价)。",
                f"The city's {_en} (HJ 663 annual evaluation).",
            ),
            _unit,
            Direction.LOWER,
            partial(_pollutant, _key),
            city_days,
        ),
        _air(
            f"air.{_key}.change_vs_2013",
            (f"{_zh}较 2013 年变化", f"{_en}: change against 2013"),
            (
                f"当年{_zh}相对 2013 年的变化百分比, 下降为负。",
                f"Percent change of the {_en} against 2013; a fall is negative.",
            ),
            "%",
            Direction.LOWER,
            partial(_change, _key),
            change_days,
        ),
    )


# --- Water -----------------------------------------------------------------------------------


def _samples(region: Region, year: int) -> QuerySet[WaterSample]:
    return (
        WaterSample.objects.filter(in_region(region, "section__region"), sampled_on__year=year)
        .select_related("section")
        .order_by("section__code", "sampled_on")
    )


def _sample_values(sample: WaterSample) -> dict[str, str]:
    return {k: v for k, v in sample.values.items() if k not in watersupply.GB3838_SUPPLEMENTARY}


def section_year_class(section: WaterSection, samples: list[WaterSample]) -> water.WaterEvaluation:
    """A section's class over the samples (annual mean per item), by the engine."""
    return water.evaluate_period_samples(
        [_sample_values(s) for s in samples],
        lake=section.is_lake,
        target=section.target_class,
        report_separately=water.SEPARATELY_REPORTED,
    )


def _section_samples(code: str) -> Callable[[Region, int], QuerySet[WaterSample]]:
    def records(region: Region, year: int) -> QuerySet[WaterSample]:
        return _samples(region, year).filter(section__code=code)

    return records


def _section_class(code: str, region: Region, year: int) -> Measure:
    samples = list(_section_samples(code)(region, year))
    if not samples:
        return Measure.missing(
            0, f"{year} 年断面 {code} 没有监测数据", f"no samples of {code} in {year}"
        )
    result = section_year_class(samples[0].section, samples)
    synthetic = any(s.is_synthetic for s in samples)
    if result.water_class is None:
        return Measure.missing(len(samples), "无可评价项目", "no item to classify", synthetic)
    return Measure(int(result.water_class), len(samples), synthetic)


def _surface_samples(region: Region, year: int) -> QuerySet[WaterSample]:
    return _samples(region, year).exclude(section__kind=SectionKind.DRINKING_SOURCE)


def _sections_meeting(region: Region, year: int) -> Measure:
    samples = list(_surface_samples(region, year))
    if not samples:
        return Measure.missing(
            0, f"{year} 年没有地表水断面监测数据", f"no section samples in {year}"
        )
    by_section: dict[int, list[WaterSample]] = {}
    for sample in samples:
        by_section.setdefault(sample.section_id, []).append(sample)
    meeting = 0
    for group in by_section.values():
        section = group[0].section
        found = section_year_class(section, group).water_class
        meeting += int(found is not None and int(found) <= section.target_class)
    synthetic = any(s.is_synthetic for s in samples)
    return Measure(percent(meeting, len(by_section), 1), len(samples), synthetic)


def _source_samples(region: Region, year: int) -> QuerySet[WaterSample]:
    return _samples(region, year).filter(section__kind=SectionKind.DRINKING_SOURCE)


def _source_compliance(region: Region, year: int) -> Measure:
    samples = list(_source_samples(region, year))
    if not samples:
        return Measure.missing(
            0, f"{year} 年没有水源地监测数据", f"no drinking-source samples in {year}"
        )
    passed = sum(1 for s in samples if s.meets_target and s.supplementary_pass is not False)
    rate = pass_rate(passed, len(samples))
    synthetic = any(s.is_synthetic for s in samples)
    return Measure(percent(rate.passed, rate.total, PASS_RATE_DECIMALS), len(samples), synthetic)


def _tap(kind: str | None) -> Callable[[Region, int], QuerySet[TapWaterSample]]:
    def records(region: Region, year: int) -> QuerySet[TapWaterSample]:
        found = TapWaterSample.objects.filter(in_region(region, "region"), sampled_on__year=year)
        return (found.filter(kind=kind) if kind else found).order_by("sampled_on", "site")

    return records


def _rate(records: QuerySet[Any], year: int, what: tuple[str, str]) -> Measure:
    total = records.count()
    if not total:
        return Measure.missing(0, f"{year} 年没有{what[0]}", f"no {what[1]} in {year}")
    passed = records.filter(passes=True).count()
    rate = pass_rate(passed, total)
    synthetic = records.filter(is_synthetic=True).exists()
    return Measure(percent(rate.passed, rate.total, PASS_RATE_DECIMALS), total, synthetic)


def _effluent(region: Region, year: int) -> QuerySet[EffluentSample]:
    return EffluentSample.objects.filter(
        in_region(region, "region"), sampled_on__year=year
    ).order_by("sampled_on", "plant")


def _class_label(sample: WaterSample) -> str:
    return sample.class_label


SAMPLE_COLUMNS = (
    Column(_("Section"), "section__name"),
    Column(_("Sampled on"), "sampled_on"),
    Column(_("Class"), _class_label),
    Column(_("Determined by"), lambda s: ", ".join(s.determined_by)),
    Column(_("Exceeding items"), lambda s: ", ".join(s.exceeding)),
)
TAP_COLUMNS = (
    Column(_("Plant or sampling point"), "site"),
    Column(_("Kind"), "get_kind_display"),
    Column(_("Sampled on"), "sampled_on"),
    Column(_("Passes"), lambda s: "✓" if s.passes else "✗"),
    Column(_("Failing items"), lambda s: ", ".join(s.failing)),
)
EFFLUENT_COLUMNS = (
    Column(_("Sewage treatment plant"), "plant"),
    Column(_("Sampled on"), "sampled_on"),
    Column(_("Complies"), lambda s: "✓" if s.passes else "✗"),
    Column(_("Failing items"), lambda s: ", ".join(s.failing)),
)


def _latest_sample_year(region: Region) -> int | None:
    day = WaterSample.objects.filter(in_region(region, "section__region")).aggregate(
        last=Max("sampled_on")
    )["last"]
    return day.year if day else None


def _water(
    code: str,
    name: tuple[str, str],
    definition: tuple[str, str],
    unit: str,
    standard: str,
    measure: Callable[[Region, int], Measure],
    records: Callable[[Region, int], QuerySet[Any]],
    columns: tuple[Column, ...],
    direction: str = Direction.HIGHER,
) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        definition=definition,
        unit=unit,
        standard=standard,
        direction=direction,
        period=Period.YEAR,
        measure=measure,
        records=records,
        columns=columns,
        latest=_latest_sample_year,
    )


GB5749 = "GB 5749-2022 routine items (limits UNVERIFIED, docs/indicators.md)"
WATER_INDICATORS: tuple[Indicator, ...] = (
    *tuple(
        _water(
            f"water.{code}.class",
            (f"断面 {code} 年均水质类别", f"Annual water class of section {code}"),
            (
                "各项目年均值按 GB 3838-2002 单因子评价的类别 (1–5 为 I–V 类, 6 为劣V类)。",
                "GB 3838-2002 single-factor class of the annual mean of each item (1–5 = I–V,"
                " 6 = worse than V).",
            ),
            "类",
            "GB 3838-2002 Table 1; 环办〔2011〕22号",
            partial(_section_class, code),
            _section_samples(code),
            SAMPLE_COLUMNS,
            Direction.LOWER,
        )
        for code in PUBLISHED_SECTIONS
    ),
    _water(
        "water.sections_meeting_target",
        ("地表水断面水质达标率", "Sections meeting their target class"),
        (
            "年均水质类别达到目标类别的地表水断面所占百分比。",
            "Percentage of surface-water sections whose annual class meets the target class.",
        ),
        "%",
        "GB 3838-2002",
        _sections_meeting,
        _surface_samples,
        SAMPLE_COLUMNS,
    ),
    _water(
        "water.drinking_source_compliance",
        ("集中式饮用水水源地水质达标率", "Drinking-water source compliance"),
        (
            "达到目标类别且补充项目合格的水源地样品所占百分比。",
            "Percentage of drinking-water source samples meeting the target class and the"
            " supplementary items.",
        ),
        "%",
        "GB 3838-2002 Tables 1–2",
        _source_compliance,
        _source_samples,
        SAMPLE_COLUMNS,
    ),
    _water(
        "water.tap_pass_rate",
        ("自来水水质综合合格率", "Tap-water pass rate"),
        (
            "出厂水和管网水样品中全部常规指标合格的样品所占百分比。",
            "Percentage of treated- and network-water samples passing every routine item.",
        ),
        "%",
        GB5749,
        lambda region, year: _rate(_tap(None)(region, year), year, ("自来水样品", "tap samples")),
        _tap(None),
        TAP_COLUMNS,
    ),
    _water(
        "water.tap_treated_pass_rate",
        ("出厂水合格率", "Treated-water pass rate"),
        ("出厂水样品的合格率。", "Pass rate of treated-water samples."),
        "%",
        GB5749,
        lambda region, year: _rate(
            _tap(TapKind.TREATED)(region, year), year, ("出厂水样品", "treated-water samples")
        ),
        _tap(TapKind.TREATED),
        TAP_COLUMNS,
    ),
    _water(
        "water.tap_network_pass_rate",
        ("管网水综合合格率", "Network-water pass rate"),
        ("管网水样品的合格率。", "Pass rate of network-water samples."),
        "%",
        GB5749,
        lambda region, year: _rate(
            _tap(TapKind.NETWORK)(region, year), year, ("管网水样品", "network-water samples")
        ),
        _tap(TapKind.NETWORK),
        TAP_COLUMNS,
    ),
    _water(
        "water.effluent_pass_rate",
        ("污水处理厂出水水质合格率", "Sewage effluent compliance rate"),
        (
            "污水处理厂出水样品符合 GB 18918-2002 一级 A 标准的百分比。",
            "Percentage of sewage-treatment effluent samples meeting GB 18918-2002 class 1-A.",
        ),
        "%",
        "GB 18918-2002 class 1-A (limits UNVERIFIED)",
        lambda region, year: _rate(_effluent(region, year), year, ("出水样品", "effluent samples")),
        _effluent,
        EFFLUENT_COLUMNS,
    ),
)

INDICATORS: tuple[Indicator, ...] = AIR_INDICATORS + WATER_INDICATORS

__all__ = ["INDICATORS", "dt"]
