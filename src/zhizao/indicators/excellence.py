"""GB/T 19580-2012 excellence model (卓越绩效评价准则) scoring, per GB/Z 19579-2012.

Items and points are data (:data:`GBT19580_2012_ITEMS`). UNVERIFIED: the point values come from
general knowledge (standards.md §5), not the official text; pass another item table to the
functions to use verified figures. The bands and their 5% steps are verified at structure level.

* Process items (4.1–4.6) are rated on A-D-L-I (方法-展开-学习-整合), result items (4.7) on
  Le-T-C-I (水平-趋势-对比-整合); both on the same six percentage bands.
* Item score = rating% × item points; category and total scores are sums (total out of 1000).
* Assessor consensus: per item the mean rating, the spread (max − min, in percentage points) and
  a flag when assessors differ by more than :data:`CONSENSUS_SPREAD_PP` points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

from zhizao.indicators.errors import InvalidValueError, UnknownPollutantError


class ItemKind(StrEnum):
    PROCESS = "process"  # A-D-L-I
    RESULT = "result"  # Le-T-C-I


@dataclass(frozen=True)
class ExcellenceItem:
    """An item (or category) of GB/T 19580 with its points."""

    code: str
    title_zh: str
    points: int
    kind: ItemKind

    @property
    def category(self) -> str:
        return ".".join(self.code.split(".")[:2])


@dataclass(frozen=True)
class ExcellenceCategory:
    code: str
    title_zh: str
    title_en: str
    points: int


_P, _R = ItemKind.PROCESS, ItemKind.RESULT

GBT19580_2012_CATEGORIES: Final = (
    ExcellenceCategory("4.1", "领导", "Leadership", 110),
    ExcellenceCategory("4.2", "战略", "Strategy", 90),
    ExcellenceCategory("4.3", "顾客与市场", "Customers and market", 90),
    ExcellenceCategory("4.4", "资源", "Resources", 130),
    ExcellenceCategory("4.5", "过程管理", "Process management", 100),
    ExcellenceCategory("4.6", "测量、分析与改进", "Measurement, analysis and improvement", 80),
    ExcellenceCategory("4.7", "结果", "Results", 400),
)
"""Categories and points. UNVERIFIED (standards.md §5)."""

GBT19580_2012_ITEMS: Final = (
    ExcellenceItem("4.1.1", "高层领导的作用", 50, _P),
    ExcellenceItem("4.1.2", "组织治理", 30, _P),
    ExcellenceItem("4.1.3", "社会责任", 30, _P),
    ExcellenceItem("4.2.1", "战略制定", 40, _P),
    ExcellenceItem("4.2.2", "战略部署", 50, _P),
    ExcellenceItem("4.3.1", "顾客和市场的了解", 40, _P),
    ExcellenceItem("4.3.2", "顾客关系与顾客满意", 50, _P),
    ExcellenceItem("4.4.1", "人力资源", 60, _P),
    ExcellenceItem("4.4.2", "财务资源", 15, _P),
    ExcellenceItem("4.4.3", "信息和知识资源", 20, _P),
    ExcellenceItem("4.4.4", "技术资源", 15, _P),
    ExcellenceItem("4.4.5", "基础设施", 10, _P),
    ExcellenceItem("4.4.6", "相关方关系", 10, _P),
    ExcellenceItem("4.5.1", "过程的识别与设计", 50, _P),
    ExcellenceItem("4.5.2", "过程的实施与改进", 50, _P),
    ExcellenceItem("4.6.1", "测量、分析和评价", 40, _P),
    ExcellenceItem("4.6.2", "改进与创新", 40, _P),
    ExcellenceItem("4.7.1", "产品和服务结果", 80, _R),
    ExcellenceItem("4.7.2", "顾客与市场结果", 80, _R),
    ExcellenceItem("4.7.3", "财务结果", 80, _R),
    ExcellenceItem("4.7.4", "资源结果", 60, _R),
    ExcellenceItem("4.7.5", "过程有效性结果", 50, _R),
    ExcellenceItem("4.7.6", "领导方面的结果", 50, _R),
)
"""The 23 items and their points (total 1000). UNVERIFIED (standards.md §5)."""

TOTAL_POINTS: Final = 1000
RATING_STEP: Final = 5
"""Ratings are given in 5% steps."""


@dataclass(frozen=True)
class ScoringBand:
    """A rating band (评分区间) in percent of the item's points."""

    number: int
    low: int
    high: int
    summary_en: str


SCORING_BANDS: Final = (
    ScoringBand(1, 0, 5, "no systematic approach / no results"),
    ScoringBand(2, 10, 25, "beginnings of an approach, early deployment; reactive"),
    ScoringBand(3, 30, 45, "systematic approach to the basic requirements; some good results"),
    ScoringBand(4, 50, 65, "effective, well-deployed approach; good levels, favourable trends"),
    ScoringBand(5, 70, 85, "refined, integrated approach; good-to-excellent sustained results"),
    ScoringBand(6, 90, 100, "fully deployed, innovative; excellent, benchmark-leading results"),
)
"""Bands 0–5 · 10–25 · 30–45 · 50–65 · 70–85 · 90–100 %. Band texts are summaries (UNVERIFIED
wording; they mirror the Baldrige scoring guidelines)."""

CONSENSUS_SPREAD_PP: Final = 20.0
"""Assessors whose ratings of an item differ by more than this many points are flagged."""


def _items_by_code(items: Sequence[ExcellenceItem]) -> dict[str, ExcellenceItem]:
    return {item.code: item for item in items}


def excellence_item(
    code: str, items: Sequence[ExcellenceItem] = GBT19580_2012_ITEMS
) -> ExcellenceItem:
    try:
        return _items_by_code(items)[code]
    except KeyError:
        raise UnknownPollutantError(
            f"unknown excellence item {code!r}", f"未知评分条款 {code!r}"
        ) from None


def check_rating(percent: float) -> Fraction:
    """Validate a rating: 0–100 in 5% steps. Returns it as an exact fraction."""
    value = Fraction(str(percent))
    if not 0 <= value <= 100 or value % RATING_STEP != 0:
        raise InvalidValueError(
            f"rating {percent}% must be 0–100 in steps of {RATING_STEP}",
            f"评分 {percent}% 必须在 0–100 之间且为 {RATING_STEP} 的倍数",
        )
    return value


def band_of(percent: float) -> ScoringBand:
    """The band containing a rating."""
    value = check_rating(percent)
    for band in SCORING_BANDS:
        if band.low <= value <= band.high:
            return band
    raise AssertionError(percent)  # pragma: no cover - bands cover every 5% step


def band_score_range(
    code: str, band: int, items: Sequence[ExcellenceItem] = GBT19580_2012_ITEMS
) -> tuple[float, float]:
    """(lowest, highest) points an item can score within band ``band`` (1–6)."""
    if not 1 <= band <= len(SCORING_BANDS):
        raise InvalidValueError(f"band {band} is not 1–6", f"评分区间 {band} 不在 1–6 之间")
    chosen = SCORING_BANDS[band - 1]
    points = excellence_item(code, items).points
    return (points * chosen.low / 100, points * chosen.high / 100)


def item_score(
    code: str, percent: float, items: Sequence[ExcellenceItem] = GBT19580_2012_ITEMS
) -> float:
    """Points scored by an item rated ``percent`` (e.g. 4.4.1 at 55% → 33.0)."""
    return float(check_rating(percent) * excellence_item(code, items).points / 100)


@dataclass(frozen=True)
class ScoreSummary:
    """Item, category and total scores of one assessment."""

    items: dict[str, float]
    categories: dict[str, float]
    total: float
    missing: list[str]


def total_score(
    ratings: Mapping[str, float], items: Sequence[ExcellenceItem] = GBT19580_2012_ITEMS
) -> ScoreSummary:
    """Item scores, category sums and the total of ``ratings`` (item code → percent)."""
    by_code = _items_by_code(items)
    scores: dict[str, Fraction] = {}
    for code, percent in ratings.items():
        item = excellence_item(code, items)
        scores[code] = check_rating(percent) * item.points / 100
    categories: dict[str, Fraction] = {}
    for code, score in scores.items():
        category = by_code[code].category
        categories[category] = categories.get(category, Fraction(0)) + score
    missing = [code for code in by_code if code not in ratings]
    return ScoreSummary(
        items={code: float(score) for code, score in scores.items()},
        categories={code: float(score) for code, score in sorted(categories.items())},
        total=float(sum(scores.values(), Fraction(0))),
        missing=missing,
    )


@dataclass(frozen=True)
class Consensus:
    """Assessors' ratings of one item: mean, spread (max − min, percentage points), flag."""

    code: str
    ratings: dict[str, float]
    mean: float
    spread: float
    flagged: bool


def consensus(
    ratings: Mapping[str, Mapping[str, float]],
    *,
    flag_spread_pp: float = CONSENSUS_SPREAD_PP,
    items: Sequence[ExcellenceItem] = GBT19580_2012_ITEMS,
) -> dict[str, Consensus]:
    """Per-item consensus statistics of ``ratings`` (assessor → item code → percent)."""
    by_item: dict[str, dict[str, Fraction]] = {}
    for assessor, sheet in ratings.items():
        for code, percent in sheet.items():
            excellence_item(code, items)
            by_item.setdefault(code, {})[assessor] = check_rating(percent)
    result: dict[str, Consensus] = {}
    for code in [item.code for item in items if item.code in by_item]:
        values = by_item[code]
        spread = max(values.values()) - min(values.values())
        result[code] = Consensus(
            code=code,
            ratings={assessor: float(value) for assessor, value in values.items()},
            mean=float(sum(values.values(), Fraction(0)) / len(values)),
            spread=float(spread),
            flagged=spread > Fraction(str(flag_spread_pp)),
        )
    return result
