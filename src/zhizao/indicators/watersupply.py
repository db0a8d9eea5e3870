"""Drinking water and sewage effluent: item limits and pass/compliance judgements.

* GB 5749-2022 生活饮用水卫生标准, routine items (常规指标) commonly tested on treated water
  (出厂水) and network water (管网水): :data:`GB5749_ROUTINE`.
* GB 18918-2002 城镇污水处理厂污染物排放标准, class 1-A basic control items (基本控制项目,
  daily mean): :data:`GB18918_1A`.
* GB 3838-2002 Table 2, the supplementary items of centralised drinking-water sources
  (集中式生活饮用水地表水源地补充项目): :data:`GB3838_SUPPLEMENTARY`.

Status: UNVERIFIED. These limits are not in the project's shared standards reference; they are
the published values as commonly cited (to be checked against the official texts). A sample
passes when every item it reports meets its limit (equality meets); an item not reported is not
judged. Pass rates come from :func:`zhizao.indicators.rates.pass_rate`.

Pure NumPy, no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from zhizao.indicators.errors import InvalidValueError, UnknownPollutantError
from zhizao.indicators.rates import PassRate, pass_rate


class Bound(StrEnum):
    MAX = "max"  # value ≤ limit
    MIN = "min"  # value ≥ limit
    RANGE = "range"  # low ≤ value ≤ high


@dataclass(frozen=True)
class ItemLimit:
    key: str
    name_zh: str
    name_en: str
    unit: str
    bound: Bound
    limit: float
    high: float = math.nan  # upper end of a RANGE

    def meets(self, values: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Element-wise: does each value meet the limit (NaN → False; use :func:`judge`)."""
        array = np.asarray(values, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            if self.bound is Bound.MAX:
                result = array <= self.limit
            elif self.bound is Bound.MIN:
                result = array >= self.limit
            else:
                result = (array >= self.limit) & (array <= self.high)
        return np.asarray(result, dtype=np.bool_)

    @property
    def text(self) -> str:
        if self.bound is Bound.MAX:
            return f"≤ {self.limit:g}"
        if self.bound is Bound.MIN:
            return f"≥ {self.limit:g}"
        return f"{self.limit:g}–{self.high:g}"


def _limits(*items: ItemLimit) -> Mapping[str, ItemLimit]:
    return {item.key: item for item in items}


GB5749_ROUTINE: Final[Mapping[str, ItemLimit]] = _limits(
    ItemLimit("total_coliform", "总大肠菌群", "Total coliforms", "MPN/100mL", Bound.MAX, 0),
    ItemLimit("e_coli", "大肠埃希氏菌", "Escherichia coli", "MPN/100mL", Bound.MAX, 0),
    ItemLimit("total_bacteria", "菌落总数", "Total bacterial count", "CFU/mL", Bound.MAX, 100),
    ItemLimit("turbidity", "浑浊度", "Turbidity", "NTU", Bound.MAX, 1),
    ItemLimit("color", "色度", "Colour", "度", Bound.MAX, 15),
    ItemLimit("ph", "pH", "pH", "", Bound.RANGE, 6.5, 8.5),
    ItemLimit("codmn", "高锰酸盐指数(以O2计)", "Permanganate index", "mg/L", Bound.MAX, 3),
    ItemLimit("nh3_n", "氨(以N计)", "Ammonia nitrogen", "mg/L", Bound.MAX, 0.5),
    ItemLimit("nitrate", "硝酸盐(以N计)", "Nitrate (as N)", "mg/L", Bound.MAX, 10),
    ItemLimit("fluoride", "氟化物", "Fluoride", "mg/L", Bound.MAX, 1.0),
    ItemLimit("arsenic", "砷", "Arsenic", "mg/L", Bound.MAX, 0.01),
    ItemLimit("cadmium", "镉", "Cadmium", "mg/L", Bound.MAX, 0.005),
    ItemLimit("chromium6", "铬(六价)", "Chromium (VI)", "mg/L", Bound.MAX, 0.05),
    ItemLimit("lead", "铅", "Lead", "mg/L", Bound.MAX, 0.01),
    ItemLimit("mercury", "汞", "Mercury", "mg/L", Bound.MAX, 0.001),
    ItemLimit("iron", "铁", "Iron", "mg/L", Bound.MAX, 0.3),
    ItemLimit("manganese", "锰", "Manganese", "mg/L", Bound.MAX, 0.1),
    ItemLimit("aluminium", "铝", "Aluminium", "mg/L", Bound.MAX, 0.2),
    ItemLimit("chloride", "氯化物", "Chloride", "mg/L", Bound.MAX, 250),
    ItemLimit("sulfate", "硫酸盐", "Sulfate", "mg/L", Bound.MAX, 250),
    ItemLimit("tds", "溶解性总固体", "Total dissolved solids", "mg/L", Bound.MAX, 1000),
    ItemLimit("hardness", "总硬度(以CaCO3计)", "Total hardness", "mg/L", Bound.MAX, 450),
    ItemLimit("free_chlorine", "游离氯", "Free chlorine", "mg/L", Bound.MAX, 2),
)
"""GB 5749-2022 Table 1 routine items (a subset; UNVERIFIED). "Not detected" items have limit 0."""

FREE_CHLORINE_MIN: Final[Mapping[str, float]] = {"treated": 0.3, "network": 0.05}
"""GB 5749-2022 Table 2 residual free chlorine: 出厂水 ≥ 0.3, 管网水 ≥ 0.05 mg/L (UNVERIFIED)."""

GB18918_1A: Final[Mapping[str, ItemLimit]] = _limits(
    ItemLimit("cod", "化学需氧量(COD)", "Chemical oxygen demand", "mg/L", Bound.MAX, 50),
    ItemLimit("bod5", "生化需氧量(BOD5)", "Biochemical oxygen demand", "mg/L", Bound.MAX, 10),
    ItemLimit("ss", "悬浮物(SS)", "Suspended solids", "mg/L", Bound.MAX, 10),
    ItemLimit("oil", "动植物油", "Animal and vegetable oils", "mg/L", Bound.MAX, 1),
    ItemLimit("petroleum", "石油类", "Petroleum", "mg/L", Bound.MAX, 1),
    ItemLimit("las", "阴离子表面活性剂", "Anionic surfactants", "mg/L", Bound.MAX, 0.5),
    ItemLimit("tn", "总氮(以N计)", "Total nitrogen", "mg/L", Bound.MAX, 15),
    ItemLimit("nh3_n", "氨氮(以N计)", "Ammonia nitrogen", "mg/L", Bound.MAX, 5),
    ItemLimit("tp", "总磷(以P计)", "Total phosphorus", "mg/L", Bound.MAX, 0.5),
    ItemLimit("color", "色度(稀释倍数)", "Colour (dilution)", "", Bound.MAX, 30),
    ItemLimit("ph", "pH", "pH", "", Bound.RANGE, 6, 9),
    ItemLimit("fecal_coliform", "粪大肠菌群数", "Fecal coliforms", "个/L", Bound.MAX, 1000),
)
"""GB 18918-2002 Table 1, class 1-A (UNVERIFIED). NH3-N 5 mg/L is the limit above 12 °C (8 at
or below 12 °C, :data:`GB18918_NH3_N_COLD`); TP 0.5 for plants built from 2006."""

GB18918_NH3_N_COLD: Final = 8.0

GB3838_SUPPLEMENTARY: Final[Mapping[str, ItemLimit]] = _limits(
    ItemLimit("sulfate", "硫酸盐", "Sulfate", "mg/L", Bound.MAX, 250),
    ItemLimit("chloride", "氯化物", "Chloride", "mg/L", Bound.MAX, 250),
    ItemLimit("nitrate", "硝酸盐(以N计)", "Nitrate (as N)", "mg/L", Bound.MAX, 10),
    ItemLimit("iron", "铁", "Iron", "mg/L", Bound.MAX, 0.3),
    ItemLimit("manganese", "锰", "Manganese", "mg/L", Bound.MAX, 0.1),
)
"""GB 3838-2002 Table 2: supplementary items of drinking-water sources (UNVERIFIED)."""

STANDARDS: Final[Mapping[str, Mapping[str, ItemLimit]]] = {
    "gb5749": GB5749_ROUTINE,
    "gb18918_1a": GB18918_1A,
    "gb3838_supplementary": GB3838_SUPPLEMENTARY,
}


@dataclass(frozen=True)
class SampleJudgement:
    """Per item: value, limit text, meets; ``passes`` every judged item meets."""

    meets: dict[str, bool]
    failing: list[str]
    passes: bool
    judged: int


def _table(standard: str) -> Mapping[str, ItemLimit]:
    try:
        return STANDARDS[standard]
    except KeyError:
        raise UnknownPollutantError(
            f"unknown standard {standard!r}",
            f"未知标准 {standard!r}",
            f"expected one of {', '.join(STANDARDS)}",
        ) from None


def limits_for(standard: str, *, kind: str = "", cold: bool = False) -> dict[str, ItemLimit]:
    """The item limits of a standard; ``kind`` ("treated" / "network") sets GB 5749's free
    chlorine minimum, ``cold`` GB 18918's winter NH3-N limit."""
    table = dict(_table(standard))
    if standard == "gb5749" and kind:
        if kind not in FREE_CHLORINE_MIN:
            raise InvalidValueError(f"unknown tap-water kind {kind!r}", f"未知水样类型 {kind!r}")
        base = table["free_chlorine"]
        table["free_chlorine"] = ItemLimit(
            base.key,
            base.name_zh,
            base.name_en,
            base.unit,
            Bound.RANGE,
            FREE_CHLORINE_MIN[kind],
            base.limit,
        )
    if standard == "gb18918_1a" and cold:
        base = table["nh3_n"]
        table["nh3_n"] = ItemLimit(
            base.key, base.name_zh, base.name_en, base.unit, Bound.MAX, GB18918_NH3_N_COLD
        )
    return table


def judge(
    values: Mapping[str, float], standard: str, *, kind: str = "", cold: bool = False
) -> SampleJudgement:
    """Judge one sample: each reported item against its limit (NaN or absent: not judged)."""
    table = limits_for(standard, kind=kind, cold=cold)
    meets: dict[str, bool] = {}
    for key, value in values.items():
        if key not in table:
            raise UnknownPollutantError(
                f"unknown item {key!r} for {standard}",
                f"{standard} 无此项目 {key!r}",
                f"expected one of {', '.join(table)}",
            )
        number = float(value)
        if math.isnan(number):
            continue
        if number < 0 or math.isinf(number):
            raise InvalidValueError(f"{key}: {value} is not a concentration", f"{key}: 数值无效")
        meets[key] = bool(table[key].meets(number))
    failing = [key for key, ok in meets.items() if not ok]
    return SampleJudgement(meets, failing, bool(meets) and not failing, len(meets))


@dataclass(frozen=True)
class PassRates:
    """Pass rate per sample (every item meets) and per item (item-tests that meet)."""

    samples: PassRate
    samples_passed: int
    samples_total: int
    items: PassRate
    items_passed: int
    items_total: int
    per_item: dict[str, tuple[int, int]]  # key -> (passed, total)


def pass_rates(judgements: Sequence[SampleJudgement]) -> PassRates:
    """Pass rates of a set of judged samples (samples with no judged item are left out)."""
    judged = [j for j in judgements if j.judged]
    passed = sum(1 for j in judged if j.passes)
    per_item: dict[str, tuple[int, int]] = {}
    for j in judged:
        for key, ok in j.meets.items():
            good, total = per_item.get(key, (0, 0))
            per_item[key] = (good + int(ok), total + 1)
    items_passed = sum(good for good, _ in per_item.values())
    items_total = sum(total for _, total in per_item.values())
    return PassRates(
        samples=pass_rate(passed, len(judged)),
        samples_passed=passed,
        samples_total=len(judged),
        items=pass_rate(items_passed, items_total),
        items_passed=items_passed,
        items_total=items_total,
        per_item=per_item,
    )
