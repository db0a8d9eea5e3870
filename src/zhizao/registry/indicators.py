"""The honours registry's figures (registered from ``RegistryConfig.ready``): one indicator per
honour kind, ``honours.<type>``, the standing honours of the city and the districts below it that
the report on the year counts: those of that year or before, those whose award was announced by
the year's report date (``core.figures.report_date``), and those recorded without a year."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import (
    Column,
    Direction,
    Indicator,
    Period,
    counted,
    in_region,
    report_date,
)
from zhizao.core.models import Region
from zhizao.registry.choices import HonourKind
from zhizao.registry.models import Honour

# Stable code of each kind (the code is published: never rename one).
KIND_CODES: dict[str, str] = {
    HonourKind.CHINA_QUALITY_AWARD: "china_award",
    HonourKind.CHINA_QUALITY_AWARD_NOMINATION: "china_nomination",
    HonourKind.GOVERNOR_AWARD: "governor_award",
    HonourKind.GOVERNOR_AWARD_NOMINATION: "governor_nomination",
    HonourKind.MAYOR_AWARD: "mayor_award",
    HonourKind.NATIONAL_BENCHMARK: "national_benchmark",
    HonourKind.PROVINCIAL_INDUSTRIAL_BENCHMARK: "hunan_benchmark",
    HonourKind.LUBAN_AWARD: "luban",
    HonourKind.FURONG_AWARD: "furong",
    HonourKind.MADRID_TRADEMARK: "madrid",
    HonourKind.WELL_KNOWN_TRADEMARK: "well_known",
    HonourKind.GI_PROTECTED_PRODUCT: "gi_product",
    HonourKind.GI_CERTIFICATION_MARK: "gi_cert",
}
# The kind's name in both languages (the choices' labels carry the Chinese in brackets).
KIND_NAMES: dict[str, tuple[str, str]] = {
    HonourKind.CHINA_QUALITY_AWARD: ("中国质量奖", "China Quality Award"),
    HonourKind.CHINA_QUALITY_AWARD_NOMINATION: (
        "中国质量奖提名奖",
        "China Quality Award nomination",
    ),
    HonourKind.GOVERNOR_AWARD: ("省长质量奖", "Hunan Governor's Quality Award"),
    HonourKind.GOVERNOR_AWARD_NOMINATION: (
        "省长质量奖提名奖",
        "Governor's Quality Award nomination",
    ),
    HonourKind.MAYOR_AWARD: ("市长质量奖", "Zhuzhou Mayor's Quality Award"),
    HonourKind.NATIONAL_BENCHMARK: ("全国质量标杆", "National quality benchmark"),
    HonourKind.PROVINCIAL_INDUSTRIAL_BENCHMARK: (
        "湖南省工业质量标杆企业",
        "Hunan industrial quality benchmark enterprise",
    ),
    HonourKind.LUBAN_AWARD: ("鲁班奖", "Luban Award"),
    HonourKind.FURONG_AWARD: ("芙蓉奖", "Furong Award"),
    HonourKind.MADRID_TRADEMARK: ("马德里国际商标", "Madrid international trademark"),
    HonourKind.WELL_KNOWN_TRADEMARK: ("中国驰名商标", "China well-known trademark"),
    HonourKind.GI_PROTECTED_PRODUCT: (
        "国家地理标志保护产品",
        "National geographical indication protected product",
    ),
    HonourKind.GI_CERTIFICATION_MARK: ("国家地理标志证明商标", "National GI certification mark"),
}
RULE = "株洲方阵登记的有效荣誉 (standing honours in the registry)"


def honours(kind: str) -> Callable[[Region, int], QuerySet[Honour]]:
    def records(region: Region, year: int) -> QuerySet[Honour]:
        return (
            Honour.objects.standing()
            .filter(in_region(region, "city"), kind=kind)
            .filter(
                Q(year__isnull=True)
                | Q(year__lte=year)
                | Q(award_result__edition__announced_on__lte=report_date(year))
            )
            .order_by("-year", "holder_name")
        )

    return records


COLUMNS = (
    Column(_("holder"), "holder_name"),
    Column(_("holder type"), "get_holder_kind_display"),
    Column(_("year"), "year"),
    Column(_("level"), "get_level_display"),
    Column(_("evidence"), "evidence"),
)


def _indicator(kind: str) -> Indicator:
    zh, en = KIND_NAMES[kind]
    records = honours(kind)
    return Indicator(
        code=f"honours.{KIND_CODES[kind]}",
        name=(zh, en),
        definition=(
            f"截至当年报告日本市及所辖区县持有的{zh}数。",
            f"{en} honours held in the city and its districts up to the year's report date.",
        ),
        unit="项",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.TO_REPORT_DATE,
        measure=lambda region, year: counted(records(region, year)),
        records=records,
        columns=COLUMNS,
    )


INDICATORS = tuple(_indicator(kind) for kind in HonourKind)
