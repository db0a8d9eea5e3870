"""HJ 663 percentile, composite index, good-day and change vectors (``composite_index.json``)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from zhizao.indicators import air, air_eval, rates
from zhizao.indicators.editions import LimitSet
from zhizao.indicators.limits import composite_denominators

from ._vectors import load

DATA = load("composite_index.json")
KEYS = {"SO2": "so2", "NO2": "no2", "PM10": "pm10", "PM25": "pm2_5", "CO": "co", "O3": "o3"}
LIMIT_SETS = {
    "GB3095_2012_class2": LimitSet.GB3095_2012,
    "GB3095_2026_transitional_class2": LimitSet.GB3095_2026_TRANSITIONAL,
    "GB3095_2026_final_class2": LimitSet.GB3095_2026_FINAL,
}


def _stats(raw: dict[str, float]) -> dict[str, float]:
    return {KEYS[key]: value for key, value in raw.items()}


@pytest.mark.parametrize("name", list(LIMIT_SETS))
def test_denominators_match_vector_limits(name: str) -> None:
    expected = {KEYS[key]: value for key, value in DATA["limits"][name].items()}
    assert composite_denominators(LIMIT_SETS[name]) == expected


@pytest.mark.parametrize("case", DATA["percentile_cases"], ids=lambda case: case["name"])
def test_percentile(case: dict[str, Any]) -> None:
    got = float(air_eval.percentile(case["values"], case["p"]))
    # The HJ 663 value is exact on the decimal inputs: it is the float nearest the expected one.
    assert got == case["expected"]
    assert got == pytest.approx(case["numpy_linear"], abs=1e-12)
    assert got == pytest.approx(float(np.percentile(case["values"], case["p"])), abs=1e-12)


def test_percentile_ignores_nan_and_works_along_an_axis() -> None:
    rows = np.array([[3, 4, 8, 2, 5, 4, np.nan], [np.nan] * 7])
    got = air_eval.percentile(rows, 90, axis=1)
    assert got[0] == 6.5
    assert np.isnan(got[1])


@pytest.mark.parametrize("case", DATA["composite_cases"], ids=lambda case: case["name"][:20])
def test_composite_cases(case: dict[str, Any]) -> None:
    stats = _stats(case["stats"])
    result_2012 = air_eval.composite_index(stats, "2012")
    assert result_2012.total == pytest.approx(case["composite_2012_limits"], abs=1e-12)
    assert result_2012.rounded(2) == case["composite_2012_limits_2dp"]
    for key, value in case["single_indices_2012"].items():
        assert rates.round_gbt8170(result_2012.parts[KEYS[key]], 4) == value
    assert result_2012.primary[0] == KEYS[case["max_single_index_pollutant_2012"]]

    result_2026 = air_eval.composite_index(stats, "2026-transitional")
    assert result_2026.total == pytest.approx(
        case["composite_gb3095_2026_transitional_limits"], abs=1e-12
    )
    assert result_2026.rounded(2) == case["composite_2026T_2dp"]

    weighted = case["UNVERIFIED_weighted_variant_2026T"]
    scheme = air_eval.COMPOSITE_SCHEMES["2026-transitional-weighted-unverified"]
    assert {KEYS[k]: v for k, v in weighted["weights"].items()} == dict(scheme.weights)
    assert air_eval.composite_index(stats, scheme).total == pytest.approx(
        weighted["value"], abs=1e-12
    )


def test_default_scheme_has_equal_weights() -> None:
    for day in (dt.date(2021, 12, 31), dt.date(2026, 12, 31), dt.date(2031, 12, 31)):
        for edition in ("2012", "2026"):
            scheme = air_eval.composite_scheme_for(edition, day)
            assert set(scheme.weights.values()) == {1.0}
    assert air_eval.composite_scheme_for("2026", dt.date(2031, 1, 1)).name == "2026-final"


@pytest.mark.parametrize("case", DATA["good_day_cases"], ids=lambda case: case["name"])
def test_good_day_ratio(case: dict[str, Any]) -> None:
    good = case["excellent"] + case["good"]
    ratio = Fraction(good * 100, case["valid_days"])
    assert rates.round_gbt8170(ratio, 1) == case["expected_ratio_pct_1dp"]
    assert rates.round_gbt8170(good / case["valid_days"] * 100, 1) == case["expected_ratio_pct_1dp"]


@pytest.mark.parametrize("case", DATA["change_rate_cases"])
def test_change_rate(case: dict[str, Any]) -> None:
    result = rates.change(case["I_current"], case["I_previous"])
    assert result.percent_rounded(1) == case["expected_pct"]


# --- the 30-day monthly worked example --------------------------------------------------------

MONTH = DATA["monthly_worked_example"]
DAY_KEYS = {
    "SO2_24H": "so2",
    "NO2_24H": "no2",
    "PM10_24H": "pm10",
    "PM25_24H": "pm2_5",
    "CO_24H": "co",
    "O3_8H": "o3_8h",
    "O3_1H": "o3_1h",
}


def _month_series(start: dt.date) -> air_eval.DailySeries:
    columns = {DAY_KEYS[key]: [day[key] for day in MONTH["days"]] for key in MONTH["days"][0]}
    return air_eval.DailySeries.from_lists(start, columns)


def test_monthly_daily_aqi_both_editions() -> None:
    series = _month_series(dt.date(2021, 4, 1))
    daily_2012 = air_eval.daily_aqi(series, edition="2012")
    assert daily_2012.aqi.astype(int).tolist() == MONTH["daily_aqi_hj633_2012"]
    expected_primary = [[DAY_KEYS[p] for p in day] for day in MONTH["daily_primary_hj633_2012"]]
    assert [sorted(day) for day in daily_2012.primary] == [sorted(d) for d in expected_primary]
    daily_2026 = air_eval.daily_aqi(series, edition="2026")
    assert daily_2026.aqi.astype(int).tolist() == MONTH["daily_aqi_hj633_2026"]


def test_monthly_daily_aqi_vectorised_through_air_aqi() -> None:
    columns = {key: [day[key] for day in MONTH["days"]] for key in MONTH["days"][0]}
    result = air.aqi(columns, edition="2012")
    assert result.aqi.astype(int).tolist() == MONTH["daily_aqi_hj633_2012"]


@pytest.mark.parametrize(
    ("edition", "good_key", "ratio_key"),
    [
        ("2012", "good_days_2012", "good_day_ratio_2012_pct"),
        ("2026", "good_days_2026", "good_day_ratio_2026_pct"),
    ],
)
def test_monthly_evaluation(edition: str, good_key: str, ratio_key: str) -> None:
    series = _month_series(dt.date(2021, 4, 1))
    result = air_eval.evaluate_period(series, period="month", edition=edition, scheme="2012")
    assert result.valid_days == MONTH["valid_days"]
    assert result.good_days == MONTH[good_key]
    assert result.good_day_ratio_rounded(1) == MONTH[ratio_key]
    unrounded = {KEYS[k]: v for k, v in MONTH["stats_unrounded"].items()}
    got = {
        "so2": result.concentrations["so2"],
        "no2": result.concentrations["no2"],
        "pm10": result.concentrations["pm10"],
        "pm2_5": result.concentrations["pm2_5"],
        "co": result.concentrations["co_p95"],
        "o3": result.concentrations["o3_8h_p90"],
    }
    assert got == unrounded  # exact decimal arithmetic: the floats nearest the exact values
    assert all(check.meets for check in result.validity.values())
    assert result.composite.rounded(2) == MONTH["composite_2012_limits_from_unrounded"]


def test_monthly_composite_from_rounded_statistics() -> None:
    rounded = _stats(MONTH["stats_rounded_int_ugm3_CO_1dp"])
    for key, value in MONTH["stats_unrounded"].items():
        decimals = 1 if key == "CO" else 0
        assert rates.round_gbt8170(value, decimals) == rounded[KEYS[key]]
    assert (
        air_eval.composite_index(rounded, "2012").rounded(2)
        == MONTH["composite_2012_limits_from_rounded"]
    )
    assert (
        air_eval.composite_index(rounded, "2026-transitional").rounded(2)
        == MONTH["composite_2026T_limits_from_rounded"]
    )


def test_monthly_validity_rule_february() -> None:
    start = dt.date(2021, 2, 1)
    values = np.full(28, 10.0)
    values[:4] = np.nan  # 24 valid days < 25
    series = air_eval.DailySeries.from_lists(start, {"so2": values})
    result = air_eval.evaluate_period(series, period="month")
    assert not result.validity["so2"].meets
    values[3] = 10.0  # 25 valid days
    series = air_eval.DailySeries.from_lists(start, {"so2": values})
    assert air_eval.evaluate_period(series, period="month").validity["so2"].meets
