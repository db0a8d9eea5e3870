"""HJ 633 IAQI/AQI vectors (``aqi_hj633.json``): every case must pass exactly."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from zhizao.indicators import air
from zhizao.indicators.air import Indicator
from zhizao.indicators.editions import AirEdition

from ._vectors import load

DATA = load("aqi_hj633.json")
CASES: list[dict[str, Any]] = DATA["iaqi_cases"]
EDITION_KEYS = {AirEdition.HJ_2012: "hj633_2012", AirEdition.HJ_2026: "hj633_2026"}


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['pollutant_period']}={case['concentration']}"


def test_vector_file_is_complete() -> None:
    assert len(CASES) == DATA["summary"]["n_cases"]
    assert {air.parse_indicator(case["pollutant_period"]) for case in CASES} == set(Indicator)


@pytest.mark.parametrize("edition", list(AirEdition))
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_iaqi_scalar(case: dict[str, Any], edition: AirEdition) -> None:
    expected = case[EDITION_KEYS[edition]]["iaqi"]
    got = air.iaqi_value(
        case["pollutant_period"], case["concentration"], edition=edition, beyond_table=None
    )
    assert got == expected


@pytest.mark.parametrize("edition", list(AirEdition))
def test_iaqi_vectorised_matches_every_case(edition: AirEdition) -> None:
    by_indicator: dict[Indicator, list[dict[str, Any]]] = {}
    for case in CASES:
        by_indicator.setdefault(air.parse_indicator(case["pollutant_period"]), []).append(case)
    for indicator, cases in by_indicator.items():
        values = np.array([case["concentration"] for case in cases], dtype=np.float64)
        got = air.iaqi(indicator, values, edition=edition, beyond_table=None)
        expected = [case[EDITION_KEYS[edition]]["iaqi"] for case in cases]
        assert [None if math.isnan(v) else int(v) for v in got] == expected


@pytest.mark.parametrize("edition", list(AirEdition))
def test_beyond_table_default_is_500(edition: AirEdition) -> None:
    for case in CASES:
        expected = case[EDITION_KEYS[edition]]["iaqi"]
        got = air.iaqi_value(case["pollutant_period"], case["concentration"], edition=edition)
        note = case[EDITION_KEYS[edition]]["note"]
        if expected is None and note.startswith("above top breakpoint"):
            assert got == 500
        else:
            assert got == expected


@pytest.mark.parametrize("edition", list(AirEdition))
def test_unrounded_value_lies_within_one_below(edition: AirEdition) -> None:
    # The vector's exact value v and our integer n satisfy n - 1 < v <= n.
    for case in CASES:
        exact = case[EDITION_KEYS[edition]]["iaqi_unrounded"]
        if exact is None:
            continue
        got = air.iaqi_value(case["pollutant_period"], case["concentration"], edition=edition)
        assert got is not None
        assert got - 1 < exact <= got + 1e-9


@pytest.mark.parametrize(
    "case", DATA["aqi_cases"], ids=lambda c: f"{c['edition']}-{c['expected']['aqi']}"
)
def test_aqi_cases(case: dict[str, Any]) -> None:
    expected = case["expected"]
    result = air.aqi({k: [v] for k, v in case["inputs"].items()}, edition=case["edition"])
    report = result.report(0)
    assert {ind: report.iaqi[ind] for ind in report.iaqi} == {
        air.parse_indicator(k): v for k, v in expected["iaqi"].items()
    }
    assert report.aqi == expected["aqi"]
    assert report.level == expected["level"]
    assert report.category_zh == expected["category"]
    assert air.level_info(expected["level"]).colour_zh == expected["colour"]
    assert report.primary == [air.parse_indicator(p) for p in expected["primary_pollutants"]]
    exceeding = expected["exceeding_pollutants_hj633_2012_only"]
    if exceeding is None:
        assert report.exceeding is None
    else:
        assert report.exceeding == [air.parse_indicator(p) for p in exceeding]


def test_aqi_cases_vectorised_by_row() -> None:
    cases = DATA["aqi_cases"]
    reports = air.aqi_reports([c["inputs"] for c in cases], [c["edition"] for c in cases])
    assert [r.aqi for r in reports] == [c["expected"]["aqi"] for c in cases]


# --- peers: the vector file records where python-aqi and aqi-hub go wrong -------------------


def _python_aqi(case: dict[str, Any]) -> int | None:
    aqi_module = pytest.importorskip("aqi")
    name = case["pollutant_period"].lower().replace("pm25_24h", "pm25").replace("pm10_24h", "pm10")
    try:
        return int(aqi_module.to_iaqi(name, str(case["concentration"]), algo=aqi_module.ALGO_MEP))
    except Exception:
        return None


def _aqi_hub(case: dict[str, Any]) -> int | None:
    hub = pytest.importorskip("aqi_hub.aqi_cn.aqi")
    result = hub.cal_iaqi_cn(case["pollutant_period"], case["concentration"])
    return None if result is None else int(result)


def test_python_aqi_disagreements_match_the_vector_bookkeeping() -> None:
    wrong = 0
    for case in CASES:
        got = _python_aqi(case)
        assert got == case["python_aqi_0_6_1_mep"]["iaqi"], _case_id(case)
        agrees = got == case["hj633_2012"]["iaqi"]
        assert agrees == case["python_aqi_agrees_with_hj633_2012"], _case_id(case)
        wrong += not agrees
    assert wrong == sum(not c["python_aqi_agrees_with_hj633_2012"] for c in CASES)


def test_aqi_hub_disagreements_match_the_vector_bookkeeping() -> None:
    for case in CASES:
        got = _aqi_hub(case)
        assert got == case["aqi_hub_0_3_3"]["iaqi"], _case_id(case)
        agrees = got == case["hj633_2026"]["iaqi"]
        assert agrees == case["aqi_hub_agrees_with_hj633_2026"], _case_id(case)
