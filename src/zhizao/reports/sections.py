"""The sections of the annual quality report, in the programme's order (docs/reports.md).

A section lists the registry's indicators by code prefix; a code belongs to the section with
the longest prefix that matches it, so ``nqi.onestop.`` goes to the one-stop service although
``nqi.`` is in the standards section. Edit this module to regroup the report; the default
narrative templates (``reports/narrative.py``) name the sections by key.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhizao.core import figures
from zhizao.core.display import is_chinese

BASE_YEAR = 2017
"""The base year each figure is compared with (``zhizao report --base-year`` overrides it): the
first year of the five-year series the 2021 report looks back on (the article's "5年来")."""


@dataclass(frozen=True)
class Section:
    key: str
    title_zh: str
    title_en: str
    prefixes: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.title_zh if is_chinese() else self.title_en


SECTIONS: tuple[Section, ...] = (
    Section("awards", "质量奖项与荣誉", "Awards and honours", ("awards.", "honours.")),
    Section(
        "foundation",
        "标准与质量技术基础",
        "Standards and the technical foundation",
        ("standards.", "nqi."),
    ),
    Section("onestop", "质量基础设施一站式服务", "The one-stop service", ("nqi.onestop.",)),
    Section(
        "testing",
        "快速检测与监督抽检",
        "Rapid testing and supervision sampling",
        ("rapidtest.", "sampling."),
    ),
    Section("environment", "环境质量（空气、水）", "Environment (air, water)", ("air.", "water.")),
    Section("engineering", "工程质量", "Engineering quality", ("engineering.",)),
    Section("incidents", "质量安全事件", "Quality-safety incidents", ("incidents.",)),
    Section(
        "programme",
        "首席质量官、质量活动与奖励资金",
        "Chief quality officers, events and funds",
        ("enterprise.cqo", "enterprise.event", "funds."),
    ),
    Section("enterprises", "企业质量亮点", "Enterprise highlights", ("enterprise.",)),
    Section("plans", "规划目标与部门数据", "Plans and department figures", ("plans.", "dept.")),
)

SECTION_KEYS = tuple(section.key for section in SECTIONS)

# Figures of other regions than the report's: the rollups are a province's or the nation's
# (zhizao.rollups), never a city's, so a city's report has no section for them.
NOT_IN_CITY_REPORT = ("rollups.",)


def in_city_report(code: str) -> bool:
    return not code.startswith(NOT_IN_CITY_REPORT)


def get(key: str) -> Section | None:
    return next((section for section in SECTIONS if section.key == key), None)


def section_of(code: str) -> Section | None:
    """The section a figure belongs to (the longest matching prefix), or ``None``."""
    best: tuple[int, Section] | None = None
    for section in SECTIONS:
        for prefix in section.prefixes:
            if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), section)
    return best[1] if best else None


def codes_of(section: Section) -> list[str]:
    """The registered indicators of ``section``, in code order."""
    return [
        indicator.code
        for indicator in figures.indicators()
        if section_of(indicator.code) == section
    ]
