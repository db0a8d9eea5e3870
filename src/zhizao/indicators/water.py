"""GB 3838-2002 surface water quality (地表水环境质量标准): class per item, overall class.

Single-factor evaluation (GB 3838 §5.1): each item is classed against Table 1 (a value equal to
a limit meets that class; dissolved oxygen is "≥", higher is better; pH must lie in 6–9 for every
class); the sample's class is the worst item's; an item failing class V makes the sample
劣V ("V+" in ASCII). Total phosphorus has a river column and a lake/reservoir column.
Units: mg/L, pH dimensionless, fecal coliform 个/L.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum, StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from zhizao.indicators.errors import InvalidValueError, UnitError, UnknownPollutantError


class WaterClass(IntEnum):
    """Water quality class; WORSE_THAN_V is 劣V."""

    I = 1  # noqa: E741 - the standard's own name
    II = 2
    III = 3
    IV = 4
    V = 5
    WORSE_THAN_V = 6

    @property
    def label(self) -> str:
        """ASCII label: I … V, "V+" for 劣V."""
        return "V+" if self is WaterClass.WORSE_THAN_V else self.name

    @property
    def label_zh(self) -> str:
        return "劣V" if self is WaterClass.WORSE_THAN_V else self.name

    @property
    def quality_zh(self) -> str:
        """Qualitative grade per 环办〔2011〕22号 (:data:`QUALITATIVE_ZH`)."""
        return QUALITATIVE_ZH[self]


QUALITATIVE_ZH: Final[Mapping[WaterClass, str]] = {
    WaterClass.I: "优",
    WaterClass.II: "优",
    WaterClass.III: "良好",
    WaterClass.IV: "轻度污染",
    WaterClass.V: "中度污染",
    WaterClass.WORSE_THAN_V: "重度污染",
}


class Direction(StrEnum):
    LOWER_BETTER = "lower_better"
    HIGHER_BETTER = "higher_better"
    WITHIN_RANGE = "within_range"


@dataclass(frozen=True)
class WaterItem:
    """One item of GB 3838-2002 Table 1 with its class I–V limits (as exact decimals)."""

    key: str
    name_zh: str
    name_en: str
    direction: Direction
    limits: tuple[str, str, str, str, str]
    unit: str = "mg/L"
    plausible_max: float | None = None
    """Above this the value is taken for a unit mistake (UnitError)."""

    @property
    def limit_values(self) -> tuple[float, ...]:
        return tuple(float(limit) for limit in self.limits)


def _item(
    key: str,
    zh: str,
    en: str,
    limits: tuple[str, str, str, str, str],
    direction: Direction = Direction.LOWER_BETTER,
    unit: str = "mg/L",
    plausible_max: float | None = None,
) -> WaterItem:
    return WaterItem(key, zh, en, direction, limits, unit, plausible_max)


_LOW, _HIGH, _RANGE = Direction.LOWER_BETTER, Direction.HIGHER_BETTER, Direction.WITHIN_RANGE

GB3838_ITEMS: Final[Mapping[str, WaterItem]] = {
    item.key: item
    for item in (
        _item("ph", "pH", "pH", ("6", "6", "6", "6", "6"), _RANGE, "", 14),
        _item(
            "do", "溶解氧", "dissolved oxygen", ("7.5", "6", "5", "3", "2"), _HIGH, plausible_max=25
        ),
        _item("codmn", "高锰酸盐指数", "permanganate index", ("2", "4", "6", "10", "15")),
        _item("cod", "化学需氧量", "COD", ("15", "15", "20", "30", "40")),
        _item("bod5", "五日生化需氧量", "BOD5", ("3", "3", "4", "6", "10")),
        _item("nh3_n", "氨氮", "ammonia nitrogen", ("0.15", "0.5", "1.0", "1.5", "2.0")),
        _item(
            "tp", "总磷(河流)", "total phosphorus (rivers)", ("0.02", "0.1", "0.2", "0.3", "0.4")
        ),
        _item(
            "tp_lake",
            "总磷(湖、库)",
            "total phosphorus (lakes, reservoirs)",
            ("0.01", "0.025", "0.05", "0.1", "0.2"),
        ),
        _item(
            "tn",
            "总氮(湖、库)",
            "total nitrogen (lakes, reservoirs)",
            ("0.2", "0.5", "1.0", "1.5", "2.0"),
        ),
        _item("cu", "铜", "copper", ("0.01", "1.0", "1.0", "1.0", "1.0")),
        _item("zn", "锌", "zinc", ("0.05", "1.0", "1.0", "2.0", "2.0")),
        _item("f", "氟化物", "fluoride", ("1.0", "1.0", "1.0", "1.5", "1.5")),
        _item("se", "硒", "selenium", ("0.01", "0.01", "0.01", "0.02", "0.02")),
        _item("as", "砷", "arsenic", ("0.05", "0.05", "0.05", "0.1", "0.1")),
        _item("hg", "汞", "mercury", ("0.00005", "0.00005", "0.0001", "0.001", "0.001")),
        _item("cd", "镉", "cadmium", ("0.001", "0.005", "0.005", "0.005", "0.01")),
        _item("cr6", "铬(六价)", "chromium (VI)", ("0.01", "0.05", "0.05", "0.05", "0.1")),
        _item("pb", "铅", "lead", ("0.01", "0.01", "0.05", "0.05", "0.1")),
        _item("cn", "氰化物", "cyanide", ("0.005", "0.05", "0.2", "0.2", "0.2")),
        _item("phenol", "挥发酚", "volatile phenol", ("0.002", "0.002", "0.005", "0.01", "0.1")),
        _item("petroleum", "石油类", "petroleum", ("0.05", "0.05", "0.05", "0.5", "1.0")),
        _item("las", "阴离子表面活性剂", "anionic surfactant", ("0.2", "0.2", "0.2", "0.3", "0.3")),
        _item("sulfide", "硫化物", "sulfide", ("0.05", "0.1", "0.2", "0.5", "1.0")),
        _item(
            "fecal_coliform",
            "粪大肠菌群",
            "fecal coliform",
            ("200", "2000", "10000", "20000", "40000"),
            unit="个/L",
        ),
    )
}
"""GB 3838-2002 Table 1 (items 2–24). pH: 6–9 for every class (the limits hold the lower
bound; :data:`PH_RANGE` the range). "tp" is the river column, "tp_lake" the lake column."""

PH_RANGE: Final = (Decimal(6), Decimal(9))

ITEM_KEYS: Final = tuple(key for key in GB3838_ITEMS if key != "tp_lake")
"""Item keys accepted by the CLI (``tp`` switches to the lake column with ``lake=True``)."""

LAKE_ONLY: Final = ("tn",)
"""Items GB 3838-2002 Table 1 applies to lakes and reservoirs only (item 9, total nitrogen):
in a river sample they never count towards the class (:func:`evaluate_sample`)."""

SEPARATELY_REPORTED: Final = ("tn", "fecal_coliform")
"""Items that 地表水环境质量评价办法（试行）(环办〔2011〕22号) reports separately from a
section's class (its 21 items exclude water temperature, TN and fecal coliform)."""


def water_item(key: str, *, lake: bool = False) -> WaterItem:
    """The Table 1 item ``key`` (``tp`` → lake column when ``lake``)."""
    name = key.strip().lower()
    if name == "tp" and lake:
        name = "tp_lake"
    try:
        return GB3838_ITEMS[name]
    except KeyError:
        raise UnknownPollutantError(
            f"unknown water item {key!r}",
            f"未知水质项目 {key!r}",
            f"expected one of {', '.join(ITEM_KEYS)}",
        ) from None


def _decimal(value: float | str | Decimal, key: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidValueError(
            f"{key}={value!r} is not a number", f"{key}={value!r} 不是数字"
        ) from None
    if not number.is_finite():
        raise InvalidValueError(f"{key}={value!r} is not a finite number", f"{key}={value!r} 无效")
    if number < 0:
        raise InvalidValueError(f"{key}={value} is negative", f"{key}={value} 为负值")
    return number


def classify_item(key: str, value: float | str | Decimal, *, lake: bool = False) -> WaterClass:
    """Class of one item's value, compared exactly as decimals (pass strings to be exact)."""
    item = water_item(key, lake=lake)
    number = _decimal(value, key)
    if item.plausible_max is not None and number > Decimal(str(item.plausible_max)):
        raise UnitError(
            f"{key}={value} is out of range for {item.name_en} (max {item.plausible_max})",
            f"{key}={value} 超出{item.name_zh}的合理范围",
            "check the unit",
        )
    if item.direction is Direction.WITHIN_RANGE:
        low, high = PH_RANGE
        return WaterClass.I if low <= number <= high else WaterClass.WORSE_THAN_V
    for position, limit in enumerate(item.limits):
        bound = Decimal(limit)
        meets = number >= bound if item.direction is Direction.HIGHER_BETTER else number <= bound
        if meets:
            return WaterClass(position + 1)
    return WaterClass.WORSE_THAN_V


def classify_item_array(
    key: str, values: npt.ArrayLike, *, lake: bool = False
) -> npt.NDArray[np.int8]:
    """Vectorised :func:`classify_item` on floats: classes 1–6, 0 where the value is NaN."""
    item = water_item(key, lake=lake)
    data = np.asarray(values, dtype=np.float64)
    if np.any(data < 0):
        raise InvalidValueError(f"{key}: negative value", f"{key}: 存在负值")
    if item.direction is Direction.WITHIN_RANGE:
        inside = (data >= float(PH_RANGE[0])) & (data <= float(PH_RANGE[1]))
        classes = np.where(inside, 1, 6).astype(np.int8)
    else:
        limits = np.array(item.limit_values)
        if item.direction is Direction.HIGHER_BETTER:
            classes = (np.searchsorted(-limits, -data, side="left") + 1).astype(np.int8)
        else:
            classes = (np.searchsorted(limits, data, side="left") + 1).astype(np.int8)
    classes[np.isnan(data)] = 0
    return classes


@dataclass(frozen=True)
class WaterEvaluation:
    """Single-factor evaluation of one sample or section."""

    water_class: WaterClass | None
    items: dict[str, WaterClass]
    determined_by: list[str]
    exceeding: dict[str, float | None]
    """Items worse than the target class, with exceedance multiple (None for pH)."""
    target: WaterClass
    separate: dict[str, WaterClass]
    """Items reported separately (not in the overall class): those in ``report_separately``
    and, for rivers, total nitrogen (classed against the lake column, for reference)."""
    notes: list[str] = field(default_factory=list)
    """Why an item was left out of the class (en + zh)."""

    @property
    def qualitative_zh(self) -> str | None:
        return None if self.water_class is None else self.water_class.quality_zh


TARGET_CLASS_DEFAULT: Final = WaterClass.III
"""Class against which exceeding items are reported unless a target is given (a section's
functional class). III is the usual reference for drinking-water and general targets."""


def exceedance_multiple(key: str, value: float | str | Decimal, limit: float | str) -> float | None:
    """Exceedance multiple (超标倍数) of a value over a limit: (C − S)/S for "≤" items.

    Dissolved oxygen (higher is better): (S − C)/C, the usual inverted convention — UNVERIFIED.
    pH has no multiple (None). Returns 0 when the value meets the limit.
    """
    item = water_item(key)
    number = _decimal(value, key)
    bound = Decimal(str(limit))
    if item.direction is Direction.WITHIN_RANGE:
        return None
    if item.direction is Direction.HIGHER_BETTER:
        if number >= bound:
            return 0.0
        return math.inf if number == 0 else float((bound - number) / number)
    if number <= bound:
        return 0.0
    return float((number - bound) / bound)


def evaluate_sample(
    values: Mapping[str, float | str | Decimal],
    *,
    lake: bool = False,
    target: WaterClass | int | str = TARGET_CLASS_DEFAULT,
    report_separately: Collection[str] = (),
) -> WaterEvaluation:
    """Class per item and overall (worst item) of a sample, with exceeding items.

    ``report_separately`` lists items classed but left out of the overall class (pass
    :data:`SEPARATELY_REPORTED` for the 环办〔2011〕22号 section rule). ``tp_lake`` is accepted
    as a key and always uses the lake column.
    """
    goal = parse_water_class(target)
    items: dict[str, WaterClass] = {}
    separate: dict[str, WaterClass] = {}
    exceeding: dict[str, float | None] = {}
    notes: list[str] = []
    for key, value in values.items():
        name = key.strip().lower()
        item = water_item(name, lake=lake)
        found = classify_item(name, value, lake=lake)
        if name in LAKE_ONLY and not lake:
            separate[name] = found
            notes.append(_lake_only_note(item))
            continue
        (separate if name in report_separately else items)[name] = found
        if found > goal:
            bound = item.limits[goal - 1]
            exceeding[name] = exceedance_multiple(item.key, value, bound)
    worst = max(items.values(), default=None)
    determined_by = sorted(key for key, found in items.items() if found == worst)
    return WaterEvaluation(worst, items, determined_by, exceeding, goal, separate, notes)


def _lake_only_note(item: WaterItem) -> str:
    return (
        f"{item.key}: GB 3838-2002 Table 1 applies this item to lakes and reservoirs only;"
        f" a river's value is classed against it for reference and not counted in the class"
        f" ({item.key}: GB 3838-2002 表1 中该项目仅适用于湖、库, 河流的该项目仅供参考,"
        f" 不参与水质类别评价)"
    )


def parse_water_class(value: WaterClass | int | str) -> WaterClass:
    """Parse "I" … "V", "V+"/"劣V" or 1–6."""
    if isinstance(value, WaterClass):
        return value
    text = str(value).strip().upper()
    aliases = {"V+": WaterClass.WORSE_THAN_V, "劣V": WaterClass.WORSE_THAN_V}
    if text in aliases:
        return aliases[text]
    if text in WaterClass.__members__:
        return WaterClass[text]
    if text.isdigit() and 1 <= int(text) <= 6:
        return WaterClass(int(text))
    raise InvalidValueError(
        f"unknown water class {value!r}", f"未知水质类别 {value!r}", "expected I, II, III, IV, V"
    )


def period_means(samples: Sequence[Mapping[str, float | str | Decimal]]) -> dict[str, float]:
    """Mean of each item over a period's samples (the monthly or annual class of a section is
    that of the mean of each item, GB 3838 / 环办〔2011〕22号); items without a value are left
    out. Means are taken over the 6-decimal values, so they do not carry float noise."""
    columns: dict[str, list[float]] = {}
    for sample in samples:
        for key, value in sample.items():
            number = float(value)
            if not math.isnan(number):
                columns.setdefault(key.strip().lower(), []).append(number)
    return {
        key: round(float(np.mean(np.asarray(values, dtype=np.float64))), 6)
        for key, values in columns.items()
    }


def evaluate_period_samples(
    samples: Sequence[Mapping[str, float | str | Decimal]],
    *,
    lake: bool = False,
    target: WaterClass | int | str = TARGET_CLASS_DEFAULT,
    report_separately: Collection[str] = (),
) -> WaterEvaluation:
    """Class of a section over a period: :func:`evaluate_sample` of the item means."""
    return evaluate_sample(
        period_means(samples), lake=lake, target=target, report_separately=report_separately
    )
