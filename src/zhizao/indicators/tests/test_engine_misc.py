"""Editions, limits, rates, excellence scoring, AQI levels and errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from zhizao.indicators import air, editions, excellence, limits, rates
from zhizao.indicators.editions import AirEdition, LimitSet
from zhizao.indicators.errors import (
    IndicatorError,
    InsufficientDataError,
    InvalidValueError,
    UnknownEditionError,
    UnknownPollutantError,
)


@pytest.mark.parametrize(
    ("day", "edition", "limit_set"),
    [
        (dt.date(2013, 1, 1), AirEdition.HJ_2012, LimitSet.GB3095_2012),
        (dt.date(2026, 2, 28), AirEdition.HJ_2012, LimitSet.GB3095_2012),
        (dt.date(2026, 3, 1), AirEdition.HJ_2026, LimitSet.GB3095_2026_TRANSITIONAL),
        (dt.date(2030, 12, 31), AirEdition.HJ_2026, LimitSet.GB3095_2026_TRANSITIONAL),
        (dt.date(2031, 1, 1), AirEdition.HJ_2026, LimitSet.GB3095_2026_FINAL),
    ],
)
def test_edition_in_force(day: dt.date, edition: AirEdition, limit_set: LimitSet) -> None:
    assert editions.air_edition_on(day) is edition
    assert editions.limit_set_on(day) is limit_set
    assert bool(editions.is_2026_edition([day])[0]) == (edition is AirEdition.HJ_2026)


def test_parse_edition() -> None:
    assert editions.parse_edition("HJ 633-2026") is AirEdition.HJ_2026
    assert editions.parse_edition("2013") is AirEdition.HJ_2012
    with pytest.raises(UnknownEditionError):
        editions.parse_edition("2019")


def test_limits_and_exceedance_multiple() -> None:
    assert limits.limit("pm2_5", "24h", limit_set=LimitSet.GB3095_2026_FINAL) == 50
    assert limits.limit("pm10", "annual", limit_set=LimitSet.GB3095_2026_TRANSITIONAL) == 60
    assert limits.limit("so2", "24h", zone_class=1) == 50
    got = limits.exceedance_multiple([150, 75, 30, np.nan], 75)
    assert got[:3].tolist() == [1.0, 0.0, 0.0]
    assert np.isnan(got[3])
    with pytest.raises(UnknownPollutantError):
        limits.limit("pm1", "24h")
    with pytest.raises(InvalidValueError):
        limits.limit("so2", "24h", zone_class=3)


def test_aqi_levels_and_colours() -> None:
    levels = air.aqi_level([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500, np.nan])
    assert levels.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 0]
    assert [air.level_info(n).category_en for n in range(1, 7)] == [
        "Excellent",
        "Good",
        "Lightly polluted",
        "Moderately polluted",
        "Heavily polluted",
        "Severely polluted",
    ]
    assert air.level_info(3).colour_hex == "#FF7E00"


def test_2012_special_rules_substitute_other_period() -> None:
    columns: dict[str, list[float]] = {"so2_1h": [900, 900], "so2_24h": [100, np.nan]}
    result = air.aqi(columns, edition="2012")
    assert result.iaqi[air.Indicator.SO2_1H][0] == 75  # the 24 h IAQI
    assert np.isnan(result.iaqi[air.Indicator.SO2_1H][1])
    o3 = air.aqi({"o3_8h": [900], "o3_1h": [500]}, edition="2012").report(0)
    assert o3.iaqi[air.Indicator.O3_8H] == o3.iaqi[air.Indicator.O3_1H] == 225
    o3_2026 = air.aqi({"o3_8h": [900]}, edition="2026").report(0)
    assert o3_2026.aqi == 300
    assert o3_2026.exceeding is None


def test_ties_make_several_primary_pollutants() -> None:
    report = air.aqi({"so2_24h": [150], "no2_24h": [80], "pm10_24h": [150]}, edition="2012")
    assert report.report(0).primary == [
        air.Indicator.SO2_24H,
        air.Indicator.NO2_24H,
        air.Indicator.PM10_24H,
    ]
    quiet = air.aqi({"pm10_24h": [50], "no2_24h": [40]}, edition="2012").report(0)
    assert quiet.aqi == 50
    assert quiet.primary == []


def test_invalid_concentrations() -> None:
    with pytest.raises(InvalidValueError):
        air.iaqi("pm2_5_24h", [-1.0], edition="2026")
    with pytest.raises(InvalidValueError):
        air.iaqi("pm2_5_24h", [np.inf], edition="2012")
    with pytest.raises(UnknownPollutantError) as caught:
        air.parse_indicator("pm1")
    assert "未知指标" in str(caught.value)
    assert isinstance(caught.value, IndicatorError)


def test_float_noise_does_not_ceil_up() -> None:
    # 40 µg/m³ PM2.5 (2012) is exactly 56.25; values that print as 57.000000001-style floats
    # must not be pushed up. 0.1 + 0.2 is 0.30000000000000004 in binary.
    assert air.iaqi_value("pm2_5_24h", 40, edition="2012") == 57
    assert air.iaqi_value("co_24h", 0.1 + 0.2, edition="2012") == 8  # 7.5 → 8
    assert air.iaqi_value("co_24h", 0.4, edition="2012") == 10  # exactly 10, not 11
    assert air.iaqi_value("so2_24h", 0.1 * 3, edition="2012") == 1


def test_pass_rate_wilson() -> None:
    result = rates.pass_rate(95, 100)
    assert result.rate == 0.95
    assert result.low == pytest.approx(0.8882, abs=1e-4)
    assert result.high == pytest.approx(0.9785, abs=1e-4)
    assert result.percent() == (95.0, 88.82, 97.85)
    assert rates.pass_rate(10, 10).high == 1.0
    assert rates.pass_rate(0, 10).low == 0.0
    with pytest.raises(InsufficientDataError):
        rates.pass_rate(0, 0)
    with pytest.raises(InvalidValueError):
        rates.pass_rate(11, 10)
    low, high = rates.wilson_interval([0, 5], [0, 10])
    assert np.isnan(low[0])
    assert 0 < low[1] < 0.5 < high[1]


def test_changes_and_rounding() -> None:
    assert rates.round_gbt8170(2.675, 2) == 2.68
    assert rates.round_gbt8170(2.665, 2) == 2.66
    assert rates.round_gbt8170(0.125, 2) == 0.12
    yoy = rates.year_on_year({2020: 80.0, 2021: 76.0}, 2021)
    assert yoy.absolute == -4.0
    assert yoy.percent_rounded() == -5.0
    ratio = rates.ratio_change(80.1, 75.3)
    assert ratio.points_rounded() == 4.8
    assert rates.n_year_change({2015: 50.0, 2021: 35.0}, 2021, 6).percent == pytest.approx(-30)
    assert rates.cagr(100, 121, 2) == pytest.approx(10.0)
    assert rates.change(5, 0).percent is None
    with pytest.raises(InsufficientDataError):
        rates.year_on_year({2021: 1.0}, 2021)


def test_excellence_scoring() -> None:
    assert sum(item.points for item in excellence.GBT19580_2012_ITEMS) == 1000
    for category in excellence.GBT19580_2012_CATEGORIES:
        members = [i for i in excellence.GBT19580_2012_ITEMS if i.category == category.code]
        assert sum(item.points for item in members) == category.points
    assert excellence.item_score("4.4.1", 55) == 33.0
    assert excellence.band_of(55).number == 4
    assert excellence.band_of(5).number == 1
    assert excellence.band_score_range("4.4.1", 4) == (30.0, 39.0)
    summary = excellence.total_score({"4.1.1": 50, "4.1.2": 60, "4.7.1": 45})
    assert summary.categories == {"4.1": 43.0, "4.7": 36.0}
    assert summary.total == 79.0
    assert "4.2.1" in summary.missing
    with pytest.raises(InvalidValueError):
        excellence.item_score("4.4.1", 57)
    with pytest.raises(UnknownPollutantError):
        excellence.item_score("4.9.9", 50)


def test_assessor_consensus() -> None:
    result = excellence.consensus(
        {
            "alice": {"4.1.1": 50, "4.2.1": 40},
            "bob": {"4.1.1": 75, "4.2.1": 50},
            "charlie": {"4.1.1": 60, "4.2.1": 45},
        }
    )
    assert result["4.1.1"].mean == pytest.approx(61.6667, abs=1e-4)
    assert result["4.1.1"].spread == 25.0
    assert result["4.1.1"].flagged
    assert result["4.2.1"].spread == 10.0
    assert not result["4.2.1"].flagged
    exactly = excellence.consensus({"a": {"4.1.1": 30}, "b": {"4.1.1": 50}})
    assert not exactly["4.1.1"].flagged  # 20 points is not more than 20


def test_binomial_upper_tail_matches_exact_sums():
    from fractions import Fraction
    from math import comb

    from zhizao.indicators.rates import binomial_upper_tail

    for n, k, p in [(10, 3, 0.1), (50, 5, 0.02), (200, 0, 0.3), (30, 30, 0.5), (7, 8, 0.4)]:
        exact = sum(
            Fraction(comb(n, i)) * Fraction(p) ** i * (1 - Fraction(p)) ** (n - i)
            for i in range(k, n + 1)
        )
        assert binomial_upper_tail(k, n, p) == pytest.approx(float(exact), rel=1e-9)
    # Large n stays finite: 200 failures in 10,000 tests against a 1% baseline is very unlikely.
    assert 0.0 <= binomial_upper_tail(200, 10_000, 0.01) < 1e-15
    with pytest.raises(InvalidValueError):
        binomial_upper_tail(1, 10, 1.5)
