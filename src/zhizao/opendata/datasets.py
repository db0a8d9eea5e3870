"""The record datasets of the open data: per dataset the records (those behind published
indicators of the registry, for a region and a year the region has published) and an explicit
allow-list of columns.

A column is listed here or it is not exported: a new field of a model never reaches the open
data by itself. Names of people (stall operators, testers, award-winning individuals, honour
holders who are persons, objectors), phone numbers, ID numbers, addresses and uploaded files
are never listed; the one column that holds a name for some rows and could hold a person's for
others (the winner of an award, the holder of an honour) is written only when the holder is an
organization, a project or a product. ``tests/test_open_data.py`` makes records with
distinctive personal values and scans every open-data response for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhizao.core import figures
from zhizao.core.display import is_chinese
from zhizao.core.models import Region


def _path(path: str) -> Callable[[Any], Any]:
    """The attribute path of a record (``market__region__code``), read as the drill-down
    lists read it (``figures.Column``); times are read by their own column (ISO 8601)."""
    return figures.Column(path, path).of


def _unless(attribute: str, private: str, path: str) -> Callable[[Any], Any]:
    """``path`` of the record, or nothing when ``attribute`` is ``private`` (a person)."""
    read = _path(path)

    def guarded(record: Any) -> Any:
        return None if getattr(record, attribute) == private else read(record)

    return guarded


def cell(value: Any) -> str | int | float | None:
    """A value as open data writes it: ISO 8601 times (with the offset) and dates, ``true`` /
    ``false``, numbers as numbers, text as text, nothing as ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    return str(value)


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header: stable, part of the schema (docs/opendata.md)
    read: Callable[[Any], Any]
    meaning: tuple[str, str]


def column(name: str, path: str | Callable[[Any], Any], zh: str, en: str) -> Column:
    return Column(name, _path(path) if isinstance(path, str) else path, (zh, en))


SYNTHETIC = column("is_synthetic", "is_synthetic", "是否为合成演示记录", "generated demo record")


@dataclass(frozen=True)
class Dataset:
    code: str
    title: tuple[str, str]
    description: tuple[str, str]
    sources: tuple[str, ...]  # the indicators whose records the dataset holds
    columns: tuple[Column, ...]
    select_related: tuple[str, ...] = ()

    def text(self, pair: tuple[str, str]) -> str:
        return pair[0] if is_chinese() else pair[1]

    @property
    def name(self) -> str:
        return self.text(self.title)

    @property
    def headers(self) -> list[str]:
        return [col.name for col in self.columns]

    def indicators(self) -> list[figures.Indicator]:
        found = [figures.get(code) for code in self.sources]
        return [indicator for indicator in found if indicator is not None and indicator.published]

    def records(self, region: Region, year: int) -> QuerySet[Any]:
        """The records behind the dataset's indicators for ``region`` and ``year``, each once."""
        querysets = [indicator.records(region, year) for indicator in self.indicators()]
        if not querysets:
            raise LookupError(self.code)
        model = querysets[0].model
        if len(querysets) == 1:
            chosen = querysets[0].order_by("pk")
        else:
            either = Q()
            for queryset in querysets:
                either |= Q(pk__in=queryset.order_by().values("pk"))
            chosen = model.objects.filter(either).order_by("pk")
        return chosen.select_related(*self.select_related)

    def row(self, record: Any) -> list[str | int | float | None]:
        return [cell(col.read(record)) for col in self.columns]


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        code="rapidtest-results",
        title=("食用农产品快检结果", "Rapid-test results of edible agricultural products"),
        description=(
            "当年本地区市场的每一批次快检结果（年度快检合格率所依据的记录）。",
            "Every batch rapid-tested in the region's markets in the year (the records of "
            "the year's rapid-test pass rate).",
        ),
        sources=("rapidtest.pass_rate",),
        select_related=("market__region", "product", "item"),
        columns=(
            column("id", "pk", "记录编号", "record id"),
            column(
                "tested_at", lambda record: record.tested_at, "检测时间", "tested at (ISO 8601)"
            ),
            column("market", "market__name", "市场", "market"),
            column(
                "market_credit_code",
                "market__credit_code",
                "市场统一社会信用代码",
                "market's unified social credit code",
            ),
            column(
                "district_code",
                "market__region__code",
                "区县代码（GB/T 2260）",
                "district code (GB/T 2260)",
            ),
            column("product", "product__name", "产品", "product"),
            column("product_en", "product__name_en", "产品（英文）", "product (English)"),
            column("test_item", "item__name", "检测项目", "test item"),
            column("method", "item__method_code", "检测方法标准", "method (standard code)"),
            column("value", "value", "测定值", "measured value"),
            column("unit", "item__unit", "单位", "unit"),
            column("passed", "passed", "是否合格", "passed"),
            column("origin", "origin", "产地", "origin"),
            SYNTHETIC,
        ),
    ),
    Dataset(
        code="sampling-batches",
        title=("监督抽检批次", "Supervision sampling batches"),
        description=(
            "当年本地区监督抽检的每一批次及其判定（各类抽检合格率所依据的记录）。",
            "Every batch sampled in the region in the year with its verdict (the records of "
            "the sampling pass rates).",
        ),
        sources=(
            "sampling.agri.pass_rate",
            "sampling.consumer_goods.pass_rate",
            "sampling.export_legal.pass_rate",
            "sampling.food_safety_evaluative.pass_rate",
            "sampling.food_safety_supervisory.pass_rate",
            "sampling.industrial.pass_rate",
        ),
        select_related=("plan", "category", "producer", "region"),
        columns=(
            column("id", "pk", "记录编号", "record id"),
            column("report_number", "report_number", "报告编号", "report number"),
            column("sampled_on", "sampled_on", "抽样日期", "sampled on"),
            column("domain", "plan__domain", "抽检领域", "domain"),
            column("category", "category__name", "产品类别", "product category"),
            column("product", "product", "产品", "product"),
            column("brand", "brand", "商标", "brand"),
            column("batch_number", "batch_number", "批号", "batch number"),
            column("producer", "producer__name", "生产者", "producer (organization)"),
            column(
                "producer_credit_code",
                "producer__credit_code",
                "生产者统一社会信用代码",
                "producer's unified social credit code",
            ),
            column("district_code", "region__code", "区县代码", "district code"),
            column("verdict", "verdict", "判定", "verdict"),
            column("failed_items", "failed_items", "不合格项目数", "failed items"),
            column(
                "overturned_on_retest",
                "overturned_on_retest",
                "经复检改判合格",
                "overturned on re-test",
            ),
            SYNTHETIC,
        ),
    ),
    Dataset(
        code="award-results",
        title=("政府质量奖评定结果", "Government quality award results"),
        description=(
            "本市获得的政府质量奖（中国质量奖、省长质量奖、市长质量奖）结果；个人获奖者不列姓名。",
            "Government quality award results credited to the city (China, Governor's, "
            "Mayor's); individual winners are not named.",
        ),
        sources=(
            "awards.china.nominations",
            "awards.china.winners",
            "awards.governor.winners",
            "awards.mayor.winners",
        ),
        select_related=("edition__programme", "organization", "city"),
        columns=(
            column("id", "pk", "记录编号", "record id"),
            column("programme", "edition__programme__code", "奖项代码", "award programme"),
            column("programme_name", "edition__programme__name", "奖项", "award"),
            column("edition", "edition__number", "届次", "edition"),
            column("edition_year", "edition__year", "年度", "year"),
            column("announced_on", "edition__announced_on", "公布日期", "announced on"),
            column(
                "category", "category", "类别（组织/个人）", "category (organization/individual)"
            ),
            column("outcome", "outcome", "评定结果", "outcome"),
            column(
                "winner",
                _unless("category", "individual", "name_as_awarded"),
                "获奖组织（个人不列）",
                "winning organization (individuals not named)",
            ),
            column(
                "credit_code",
                _unless("category", "individual", "organization__credit_code"),
                "获奖组织统一社会信用代码",
                "winning organization's credit code",
            ),
            column("city_code", "city__code", "计入城市代码", "city credited"),
            SYNTHETIC,
        ),
    ),
    Dataset(
        code="honours",
        title=("质量荣誉（株洲方阵）", "Quality honours"),
        description=(
            "截至当年报告日本地区持有的质量荣誉；个人持有者不列姓名。",
            "Quality honours held in the region up to the year's report date; persons "
            "holding an honour are not named.",
        ),
        sources=tuple(
            f"honours.{kind}"
            for kind in (
                "china_award",
                "china_nomination",
                "furong",
                "gi_cert",
                "gi_product",
                "governor_award",
                "governor_nomination",
                "hunan_benchmark",
                "luban",
                "madrid",
                "mayor_award",
                "national_benchmark",
                "well_known",
            )
        ),
        select_related=("organization", "city"),
        columns=(
            column("id", "pk", "记录编号", "record id"),
            column("kind", "kind", "荣誉", "honour"),
            column("level", "level", "级别", "level"),
            column("year", "year", "年度", "year"),
            column("holder_kind", "holder_kind", "持有者类型", "holder type"),
            column(
                "holder",
                _unless("holder_kind", "person", "holder_name"),
                "持有者（个人不列）",
                "holder (persons not named)",
            ),
            column(
                "credit_code",
                _unless("holder_kind", "person", "organization__credit_code"),
                "组织统一社会信用代码",
                "organization's credit code",
            ),
            column("city_code", "city__code", "城市代码", "city code"),
            SYNTHETIC,
        ),
    ),
    Dataset(
        code="standards",
        title=("主导和参与制定的标准", "Standards led or joined"),
        description=(
            "截至当年本地区组织主导或参与制定的国际、国家、行业、地方和团体标准。",
            "International, national, industry, local and group standards the region's "
            "organizations led or joined up to the year.",
        ),
        sources=(
            "standards.international",
            "standards.national",
            "standards.industry",
            "standards.local",
            "standards.group",
        ),
        columns=(
            column("id", "pk", "记录编号", "record id"),
            column("code", "code", "标准编号", "standard code"),
            column("title", "title", "标准名称", "title"),
            column("title_en", "title_en", "英文名称", "English title"),
            column("level", "level", "级别", "level"),
            column("status", "status", "状态", "status"),
            column("year", "year", "年代号", "year"),
            column("published_on", "published_on", "发布日期", "publication date"),
            column("implemented_on", "implemented_on", "实施日期", "implementation date"),
            SYNTHETIC,
        ),
    ),
    Dataset(
        code="air-daily-aqi",
        title=("城市空气质量日报", "Daily city air quality (AQI)"),
        description=(
            "当年城市每日空气质量指数（HJ 633）与污染物日均值（空气质量各项指标所依据的记录）。",
            "The city's daily AQI (HJ 633) and daily pollutant values of the year (the "
            "records of the air-quality figures).",
        ),
        sources=("air.valid_days", "air.pm2_5"),
        select_related=("city",),
        columns=(
            column("day", "day", "日期", "date"),
            column("city_code", "city__code", "城市代码", "city code"),
            column("valid", "valid", "AQI 有效", "valid AQI"),
            column("aqi", "aqi", "空气质量指数", "AQI"),
            column("level", "level", "级别", "level"),
            column("primary_pollutant", "primary", "首要污染物", "primary pollutant"),
            column("edition", "edition", "标准版本", "HJ 633 edition"),
            column("so2", "so2", "SO2 日均值（µg/m³）", "SO2 daily mean (µg/m³)"),
            column("no2", "no2", "NO2 日均值（µg/m³）", "NO2 daily mean (µg/m³)"),
            column("pm10", "pm10", "PM10 日均值（µg/m³）", "PM10 daily mean (µg/m³)"),
            column("pm2_5", "pm2_5", "PM2.5 日均值（µg/m³）", "PM2.5 daily mean (µg/m³)"),
            column("co", "co", "CO 日均值（mg/m³）", "CO daily mean (mg/m³)"),
            column(
                "o3_8h", "o3_8h", "O3 日最大8小时均值（µg/m³）", "O3 daily max 8-h mean (µg/m³)"
            ),
            column("stations", "stations", "有数据的站点数", "stations with data"),
            SYNTHETIC,
        ),
    ),
    Dataset(
        code="water-samples",
        title=("地表水断面监测", "Surface-water section samples"),
        description=(
            "当年本地区地表水断面的每次监测及其水质类别（GB 3838）。",
            "Every sample of the region's surface-water sections in the year with its class "
            "(GB 3838).",
        ),
        sources=("water.sections_meeting_target", "water.drinking_source_compliance"),
        select_related=("section",),
        columns=(
            column("id", "pk", "记录编号", "record id"),
            column("section_code", "section__code", "断面编号", "section code"),
            column("section", "section__name", "断面", "section"),
            column("water_body", "section__water_body", "水体", "water body"),
            column("section_kind", "section__kind", "断面类型", "section kind"),
            column("sampled_on", "sampled_on", "监测日期", "sampled on"),
            column("water_class", "water_class", "水质类别", "water class"),
            column("target_class", "section__target_class", "目标类别", "target class"),
            SYNTHETIC,
        ),
    ),
    Dataset(
        code="tap-water-samples",
        title=("城市供水水质检测", "Tap-water samples"),
        description=(
            "当年本地区出厂水和管网水的每次检测及其是否合格（GB 5749）。",
            "Every tap-water sample (treated and network) of the region in the year and "
            "whether it passed (GB 5749).",
        ),
        sources=("water.tap_pass_rate",),
        select_related=("region",),
        columns=(
            column("id", "pk", "记录编号", "record id"),
            column("site", "site", "水厂或采样点", "plant or sampling point"),
            column("kind", "kind", "类型", "kind"),
            column("district_code", "region__code", "区县代码", "district code"),
            column("sampled_on", "sampled_on", "检测日期", "sampled on"),
            column("passes", "passes", "是否合格", "passes"),
            column("items_judged", "items_judged", "判定项目数", "items judged"),
            SYNTHETIC,
        ),
    ),
)


def get(code: str) -> Dataset | None:
    return next((dataset for dataset in DATASETS if dataset.code == code), None)
