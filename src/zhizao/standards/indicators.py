"""The standards registry's figures (registered from ``StandardsConfig.ready``): for each level
the article counts, ``standards.<level>`` (standards the region's organizations led or joined),
``standards.<level>.led`` and ``standards.<level>.participated``.

The rule is :mod:`zhizao.standards.counts`' (a standard counts once for a region; as *led* when
one of the region's organizations led it, as *participated* otherwise, so led + participated =
the total), cumulative: every registered edition whose year is not after the figure's year,
whatever its status. The drill-down lists exactly those editions.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import Column, Direction, Indicator, Period, counted, in_region
from zhizao.core.models import Region
from zhizao.standards.choices import DraftingRole, StandardLevel
from zhizao.standards.models import Standard, StandardDrafter

# The levels the article counts ("139 international, 321 national, 316 industry, 11 local and
# 33 group standards"), with their names in both languages.
LEVELS: dict[str, tuple[str, str]] = {
    StandardLevel.INTERNATIONAL: ("国际标准", "international standards"),
    StandardLevel.NATIONAL: ("国家标准", "national standards"),
    StandardLevel.INDUSTRY: ("行业标准", "industry standards"),
    StandardLevel.LOCAL: ("地方标准", "local standards"),
    StandardLevel.GROUP: ("团体标准", "group standards"),
}
ROLES: dict[str, tuple[str, str, str, str]] = {
    # role: (name zh, name en, definition zh, definition en)
    "": ("主导或参与制修订的", "led or joined", "主导或参与起草", "led or joined"),
    DraftingRole.LED: ("主导制修订的", "led", "主导起草", "led"),
    DraftingRole.PARTICIPATED: (
        "参与制修订的",
        "joined",
        "参与（未主导）起草",
        "joined without leading",
    ),
}
RULE = "标准登记：起草单位及其角色 (standards registry: local drafters and their role)"
COLUMNS = (
    Column(_("standard code"), "code"),
    Column(_("title"), "title"),
    Column(_("level"), "get_level_display"),
    Column(_("status"), "get_status_display"),
    Column(_("year"), "year"),
    Column(_("synthetic demo record"), "is_synthetic"),
)


def _drafters(region: Region) -> QuerySet[StandardDrafter]:
    return StandardDrafter.objects.filter(in_region(region, "organization__region"))


def drafted(level: str, role: str) -> Callable[[Region, int], QuerySet[Standard]]:
    """The editions of ``level`` up to ``year`` the organizations of ``region`` drafted in
    ``role`` ("" for either)."""

    def records(region: Region, year: int) -> QuerySet[Standard]:
        drafters = _drafters(region)
        editions = Standard.objects.filter(level=level, year__lte=year)
        led = drafters.filter(role=DraftingRole.LED).values("standard_id")
        if role == DraftingRole.LED:
            editions = editions.filter(pk__in=led)
        else:
            editions = editions.filter(pk__in=drafters.values("standard_id"))
            if role == DraftingRole.PARTICIPATED:
                editions = editions.exclude(pk__in=led)
        return editions.order_by("code_key", "-year", "pk")

    return records


def _indicator(level: str, role: str) -> Indicator:
    level_zh, level_en = LEVELS[level]
    role_zh, role_en, verb_zh, verb_en = ROLES[role]
    records = drafted(level, role)
    return Indicator(
        code=f"standards.{level}" + (f".{role}" if role else ""),
        name=(f"{role_zh}{level_zh}", f"{level_en.capitalize()} {role_en}"),
        definition=(
            f"截至当年末本市（区县）单位{verb_zh}的{level_zh}数（每项标准的每个版本计一次）。",
            f"{level_en.capitalize()} whose drafting the city's (district's) organizations "
            f"{verb_en}, each edition counted once, up to the end of the year.",
        ),
        unit="项",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.CUMULATIVE,
        measure=lambda region, year: counted(records(region, year)),
        records=records,
        columns=COLUMNS,
    )


INDICATORS = tuple(_indicator(level, role) for level in LEVELS for role in ROLES)
