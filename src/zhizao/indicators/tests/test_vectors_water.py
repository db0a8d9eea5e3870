"""GB 3838-2002 vectors (``water_gb3838.json``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from zhizao.indicators import water
from zhizao.indicators.water import WaterClass

from ._vectors import load

DATA = load("water_gb3838.json")
ITEM_KEYS = {
    "DO": "do",
    "CODMn": "codmn",
    "COD": "cod",
    "BOD5": "bod5",
    "NH3N": "nh3_n",
    "TP_river": "tp",
    "TP_lake": "tp_lake",
    "TN_lake": "tn",
    "Cu": "cu",
    "Zn": "zn",
    "F": "f",
    "Se": "se",
    "As": "as",
    "Hg": "hg",
    "Cd": "cd",
    "Cr6": "cr6",
    "Pb": "pb",
    "CN": "cn",
    "VolPhenol": "phenol",
    "Petroleum": "petroleum",
    "LAS": "las",
    "Sulfide": "sulfide",
    "FecalColi": "fecal_coliform",
    "pH": "ph",
}


def _label(found: WaterClass) -> str:
    return found.label_zh


@pytest.mark.parametrize("name", list(DATA["limits"]))
def test_limits_table_matches(name: str) -> None:
    spec = DATA["limits"][name]
    item = water.water_item(ITEM_KEYS[name])
    assert item.direction.value == spec["dir"]
    assert [float(limit) for limit in item.limits] == [float(limit) for limit in spec["lim"]]


@pytest.mark.parametrize(
    "case", DATA["single_item_cases"], ids=lambda c: f"{c['item']}={c['value_str']}"
)
def test_single_item(case: dict[str, Any]) -> None:
    key = ITEM_KEYS[case["item"]]
    assert _label(water.classify_item(key, case["value_str"])) == case["expected_class"]
    assert _label(water.classify_item(key, case["value"])) == case["expected_class"]
    vector_class = int(water.classify_item_array(key, [case["value"]])[0])
    assert _label(WaterClass(vector_class)) == case["expected_class"]


@pytest.mark.parametrize("case", DATA["sample_cases"], ids=lambda c: c["name"][:30])
def test_samples(case: dict[str, Any]) -> None:
    data = {ITEM_KEYS[key]: str(value) for key, value in case["data"].items()}
    result = water.evaluate_sample(data)
    expected = case["expected"]
    assert {k: _label(v) for k, v in result.items.items()} == {
        ITEM_KEYS[k]: v for k, v in expected["per_item"].items()
    }
    assert result.water_class is not None
    assert _label(result.water_class) == expected["class"]
    assert result.determined_by == sorted(ITEM_KEYS[k] for k in expected["determined_by"])
    assert result.qualitative_zh == expected["qualitative"]
    if "data_lake" in case:
        lake = {ITEM_KEYS[k].replace("_lake", ""): str(v) for k, v in case["data_lake"].items()}
        lake_result = water.evaluate_sample(lake, lake=True)
        assert lake_result.water_class is not None
        assert _label(lake_result.water_class) == case["expected_lake"]["class"]
    if "separate" in case:
        both = data | {ITEM_KEYS[k]: str(v) for k, v in case["separate"].items()}
        split = water.evaluate_sample(both, report_separately=water.SEPARATELY_REPORTED)
        assert split.water_class == result.water_class
        for key, value in case["expected_TN_separate"]["per_item"].items():
            assert _label(split.separate[ITEM_KEYS[key]]) == value


def test_qualitative_map() -> None:
    for label, text in DATA["qualitative_map"].items():
        found = water.parse_water_class(label)
        assert found.quality_zh == text


def test_exceeding_items_and_multiples() -> None:
    result = water.evaluate_sample({"tp": "0.3", "cod": "18", "do": "4"}, target="III")
    assert result.exceeding == {"tp": pytest.approx(0.5), "do": pytest.approx(0.25)}
    assert water.evaluate_sample({"ph": "9.5"}).exceeding == {"ph": None}


def test_vectorised_classes_with_missing() -> None:
    got = water.classify_item_array("do", [8, 6, 5.5, np.nan, 1])
    assert got.tolist() == [1, 2, 3, 0, 6]


def test_tn_classes_lakes_and_reservoirs_only() -> None:
    # GB 3838-2002 Table 1 item 9 applies to lakes and reservoirs: a river's TN is reported
    # beside the class (against that column, for reference), never in it.
    river = water.evaluate_sample({"tn": "1.8", "cod": "10"})
    assert river.water_class is WaterClass.I
    assert river.items == {"cod": WaterClass.I}
    assert river.separate == {"tn": WaterClass.V}
    assert river.exceeding == {}
    assert river.notes
    lake = water.evaluate_sample({"tn": "1.8", "cod": "10"}, lake=True)
    assert lake.water_class is WaterClass.V
    assert lake.determined_by == ["tn"]
    assert lake.exceeding == {"tn": pytest.approx(0.8)}
