"""Kinds of quality honours in the city's registry (株洲方阵), in the article's order, and the
registry's message codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")


class HolderKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    PERSON = "person", _("Person")
    PROJECT = "project", _("Project")
    PRODUCT = "product", _("Product")


class HonourKind(models.TextChoices):
    CHINA_QUALITY_AWARD = "china_quality_award", _("China Quality Award (中国质量奖)")
    CHINA_QUALITY_AWARD_NOMINATION = (
        "china_quality_award_nomination",
        _("China Quality Award nomination award (中国质量奖提名奖)"),
    )
    GOVERNOR_AWARD = "governor_award", _("Hunan Governor's Quality Award (省长质量奖)")
    GOVERNOR_AWARD_NOMINATION = (
        "governor_award_nomination",
        _("Governor's Quality Award nomination award (省长质量奖提名奖)"),
    )
    MAYOR_AWARD = "mayor_award", _("Zhuzhou Mayor's Quality Award (市长质量奖)")
    NATIONAL_BENCHMARK = "national_benchmark", _("National quality benchmark (全国质量标杆)")
    PROVINCIAL_INDUSTRIAL_BENCHMARK = (
        "provincial_industrial_benchmark",
        _("Hunan industrial quality benchmark enterprise (湖南省工业质量标杆企业)"),
    )
    LUBAN_AWARD = "luban_award", _("Luban Award (鲁班奖)")
    FURONG_AWARD = "furong_award", _("Furong Award (芙蓉奖)")
    MADRID_TRADEMARK = "madrid_trademark", _("Madrid international trademark (马德里国际商标)")
    WELL_KNOWN_TRADEMARK = "well_known_trademark", _("China well-known trademark (中国驰名商标)")
    GI_PROTECTED_PRODUCT = (
        "gi_protected_product",
        _("National geographical indication protected product (国家地理标志保护产品)"),
    )
    GI_CERTIFICATION_MARK = (
        "gi_certification_mark",
        _("National GI certification mark (国家地理标志证明商标)"),
    )


# The level and usual holder kind of each honour kind.
KIND_LEVEL: dict[str, str] = {
    HonourKind.CHINA_QUALITY_AWARD: HonourLevel.NATIONAL,
    HonourKind.CHINA_QUALITY_AWARD_NOMINATION: HonourLevel.NATIONAL,
    HonourKind.GOVERNOR_AWARD: HonourLevel.PROVINCIAL,
    HonourKind.GOVERNOR_AWARD_NOMINATION: HonourLevel.PROVINCIAL,
    HonourKind.MAYOR_AWARD: HonourLevel.CITY,
    HonourKind.NATIONAL_BENCHMARK: HonourLevel.NATIONAL,
    HonourKind.PROVINCIAL_INDUSTRIAL_BENCHMARK: HonourLevel.PROVINCIAL,
    HonourKind.LUBAN_AWARD: HonourLevel.NATIONAL,
    HonourKind.FURONG_AWARD: HonourLevel.PROVINCIAL,
    HonourKind.MADRID_TRADEMARK: HonourLevel.NATIONAL,
    HonourKind.WELL_KNOWN_TRADEMARK: HonourLevel.NATIONAL,
    HonourKind.GI_PROTECTED_PRODUCT: HonourLevel.NATIONAL,
    HonourKind.GI_CERTIFICATION_MARK: HonourLevel.NATIONAL,
}

# Kinds filled automatically from published award results, never entered by hand.
AWARD_KINDS = frozenset(
    {
        HonourKind.CHINA_QUALITY_AWARD,
        HonourKind.CHINA_QUALITY_AWARD_NOMINATION,
        HonourKind.GOVERNOR_AWARD,
        HonourKind.GOVERNOR_AWARD_NOMINATION,
        HonourKind.MAYOR_AWARD,
    }
)

# Message codes (core.MessageTemplate rows, added by migrations).
MSG_HONOUR_WITHDRAWN = "registry_honour_withdrawn"  # migration 0002
