"""HJ 663 evaluation: validity rules, MDA8, city means, annual evaluation, editions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from zhizao.indicators import air_eval
from zhizao.indicators.air_eval import ValidityRules
from zhizao.indicators.editions import LimitSet
from zhizao.indicators.errors import InputFormatError


def test_daily_mean_needs_20_hours() -> None:
    day = np.full((2, 24), 10.0)
    day[0, :4] = np.nan  # 20 valid hours
    day[1, :5] = np.nan  # 19 valid hours
    means = air_eval.daily_means(day)
    assert means[0] == 10.0
    assert np.isnan(means[1])


def test_moving_8h_mean_labels_and_six_hour_rule() -> None:
    hours = np.arange(48, dtype=float).reshape(2, 24)
    means = air_eval.moving_8h_means(hours)
    assert np.isnan(means[0, 6])  # window would start before the first hour
    assert means[0, 7] == np.mean(np.arange(8))  # hours 0..7, labelled 08:00
    assert means[1, 0] == np.mean(np.arange(17, 25))  # crosses midnight
    gappy = hours.copy()
    gappy[0, 0:3] = np.nan  # hours 0..7 keep 5 valid values
    assert np.isnan(air_eval.moving_8h_means(gappy)[0, 7])
    gappy[0, 0] = 0.0  # 6 valid values
    assert air_eval.moving_8h_means(gappy)[0, 7] == pytest.approx(np.mean([0, 3, 4, 5, 6, 7]))


def test_mda8_needs_14_windows_unless_above_limit() -> None:
    low = np.full((1, 24), 50.0)
    assert air_eval.o3_mda8(low)[0] == 50.0
    low[0, 15:] = np.nan  # windows ending 08..24: only those ending ≤ 15 valid (+2 with 6 of 8)
    assert np.isnan(air_eval.o3_mda8(low)[0])
    high = low.copy()
    high[0, :15] = 200.0  # too few windows, but the maximum exceeds 160 → valid
    assert air_eval.o3_mda8(high)[0] == 200.0
    strict = ValidityRules(mda8_valid_if_above=None)
    assert np.isnan(air_eval.o3_mda8(high, strict)[0])


def test_mda8_window_start_is_configurable() -> None:
    data = np.full((2, 24), 10.0)
    data[0, 20:] = 300.0  # late-evening peak of day 0 reaches day 1's early windows
    default = air_eval.o3_mda8(data)
    assert default[1] == 10.0
    wide = air_eval.o3_mda8(data, ValidityRules(mda8_first_window_end=1))
    assert wide[1] == pytest.approx((4 * 300 + 4 * 10) / 8)


def test_city_daily_is_mean_over_valid_stations() -> None:
    stations = np.array([[10.0, np.nan], [20.0, np.nan], [np.nan, np.nan]])
    city = air_eval.city_daily(stations)
    assert city[0] == 15.0
    assert np.isnan(city[1])


def _synthetic_year(year: int, stations: int = 3, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    days = 366 if year % 4 == 0 else 365
    shape = (stations, days, 24)
    return {
        "so2": np.round(rng.uniform(2, 30, shape)),
        "no2": np.round(rng.uniform(10, 70, shape)),
        "pm10": np.round(rng.gamma(4, 16, shape)),
        "pm2_5": np.round(rng.gamma(3, 12, shape)),
        "co": np.round(rng.uniform(0.2, 2.0, shape), 1),
        "o3": np.round(rng.uniform(10, 220, shape)),
    }


def test_annual_evaluation_end_to_end() -> None:
    hourly = _synthetic_year(2021)
    hourly["pm2_5"][:, 40:50, :] = np.nan  # ten days without PM2.5
    result = air_eval.annual_evaluation(hourly, 2021)
    assert result.days == 365
    assert result.editions == ["2012"]
    assert result.scheme.name == "2012"
    assert set(result.concentrations) == {"so2", "no2", "pm10", "pm2_5", "co_p95", "o3_8h_p90"}
    assert result.validity["pm2_5"].valid_days == 355
    assert result.validity["pm2_5"].short_months == [2]
    assert not result.validity["pm2_5"].meets
    assert any(note.startswith("pm2_5") for note in result.notes)
    assert 0 < result.good_days <= result.valid_days <= 365
    assert result.composite.total == pytest.approx(sum(result.composite.parts.values()))
    city = air_eval.city_daily_series(hourly, dt.date(2021, 1, 1))
    assert result.concentrations["so2"] == pytest.approx(np.nanmean(city.values["so2"]))
    assert result.concentrations["co_p95"] == pytest.approx(np.nanpercentile(city.values["co"], 95))


def test_year_2026_switches_edition_on_1_march() -> None:
    hourly = _synthetic_year(2026, stations=2)
    result = air_eval.annual_evaluation(hourly, 2026)
    assert result.editions == ["2012", "2026"]
    assert result.scheme.name == "2026-transitional"
    flags = result.daily.edition_2026
    assert not flags[:59].any()
    assert flags[59:].all()
    fixed = air_eval.annual_evaluation(hourly, 2026, edition="2012")
    assert fixed.editions == ["2012"]
    assert fixed.scheme.name == "2012"
    new = air_eval.annual_evaluation(hourly, 2026, edition="2026")
    assert new.editions == ["2026"]
    # From 1 March the per-date evaluation is the 2026 one, day by day.
    np.testing.assert_array_equal(result.daily.aqi[59:], new.daily.aqi[59:])
    np.testing.assert_array_equal(result.daily.aqi[:59], fixed.daily.aqi[:59])


def test_compare_periods() -> None:
    base = air_eval.annual_evaluation(_synthetic_year(2021, seed=2), 2021)
    current = air_eval.annual_evaluation(_synthetic_year(2022, seed=3), 2022)
    change = air_eval.compare_periods(current, base)
    assert change.composite_index.absolute == pytest.approx(
        current.composite.total - base.composite.total
    )
    assert change.good_day_ratio.points == pytest.approx(
        current.good_day_ratio - base.good_day_ratio
    )


def test_wrong_shape_is_rejected() -> None:
    with pytest.raises(InputFormatError):
        air_eval.annual_evaluation({"so2": np.zeros((1, 10, 24))}, 2021)
    with pytest.raises(InputFormatError):
        air_eval.daily_means(np.zeros((3, 23)))


def test_monthly_evaluations_split_by_month() -> None:
    series = air_eval.city_daily_series(_synthetic_year(2021, stations=1), dt.date(2021, 1, 1))
    months = air_eval.monthly_evaluations(series)
    assert list(months)[:2] == ["2021-01", "2021-02"]
    assert months["2021-02"].days == 28
    assert months["2021-02"].validity["so2"].required_days == 25


# --- expert review (issue 13): engine rules ------------------------------------------------------


def _constant_series(start: dt.date, days: int, **values: float) -> air_eval.DailySeries:
    return air_eval.DailySeries.from_lists(
        start, {key: np.full(days, value) for key, value in values.items()}
    )


def test_exceedance_days_count_against_the_limits_in_force() -> None:
    values = {"so2": 60.0, "no2": 60.0, "pm10": 110.0, "pm2_5": 55.0, "co": 4.0, "o3_8h": 160.0}
    final = air_eval.evaluate_period(
        _constant_series(dt.date(2031, 1, 1), 31, **values), period="month"
    )
    # GB 3095-2026 final daily limits: SO2 50, NO2 50, PM10 100, PM2.5 50; CO 4 and O3 160 meet.
    assert final.exceedance_days == {
        "so2": 31, "no2": 31, "pm10": 31, "pm2_5": 31, "co": 0, "o3_8h": 0
    }  # fmt: skip
    old = air_eval.evaluate_period(
        _constant_series(dt.date(2021, 1, 1), 31, **values), period="month"
    )
    assert set(old.exceedance_days.values()) == {0}  # GB 3095-2012: 150, 80, 150, 75


def test_exceedance_days_switch_limits_on_1_march_2026() -> None:
    series = _constant_series(dt.date(2026, 1, 1), 365, pm2_5=70.0, pm10=130.0)
    result = air_eval.evaluate_period(series)
    # 2012 limits (75, 150) to 28 February, transitional (60, 120) from 1 March: 306 days.
    assert result.exceedance_days == {"pm10": 306, "pm2_5": 306}
    recomputed = air_eval.evaluate_period(series, edition="2012")
    assert recomputed.exceedance_days == {"pm10": 0, "pm2_5": 0}


def test_partial_year_does_not_meet_validity() -> None:
    series = _constant_series(dt.date(2021, 1, 1), 200, so2=10.0)  # 1 January – 19 July
    result = air_eval.evaluate_period(series, period="year")
    check = result.validity["so2"]
    assert (check.valid_days, check.required_days, check.period_days) == (200, 324, 365)
    assert not check.meets
    assert check.short_months == [7, 8, 9, 10, 11, 12]  # July has 19 days, the rest none
    note = next(note for note in result.notes if note.startswith("so2"))
    assert "200 valid days" in note
    assert "324 required" in note
    assert "data for 200 of the period's 365 days" in note


def test_partial_month_does_not_meet_validity() -> None:
    short = air_eval.evaluate_period(
        _constant_series(dt.date(2021, 4, 1), 20, so2=10.0), period="month"
    )
    assert (short.validity["so2"].valid_days, short.validity["so2"].required_days) == (20, 27)
    assert not short.validity["so2"].meets
    full = air_eval.evaluate_period(
        _constant_series(dt.date(2021, 4, 1), 27, so2=10.0), period="month"
    )
    assert full.validity["so2"].meets
    february = air_eval.evaluate_period(
        _constant_series(dt.date(2021, 2, 1), 24, so2=1.0), period="month"
    )
    assert (february.validity["so2"].required_days, february.validity["so2"].meets) == (25, False)


def test_composite_index_is_none_with_a_pollutant_missing() -> None:
    five = {"so2": 10.0, "no2": 30.0, "pm10": 60.0, "pm2_5": 35.0, "co": 1.2}
    result = air_eval.composite_index(five)
    assert np.isnan(result.total)
    assert np.isnan(result.rounded())
    assert result.total_exact is None
    assert result.missing == ["o3"]
    assert result.primary == []
    assert result.reason is not None
    assert "o3" in result.reason
    assert set(result.parts) == set(five)  # the single indices that exist are still given
    complete = air_eval.composite_index({**five, "o3": 150.0})
    assert (complete.rounded(), complete.missing, complete.reason) == (4.01, [], None)
    assert np.isnan(air_eval.composite_index({**five, "o3": float("nan")}).total)


def test_period_evaluation_without_a_pollutant_has_no_composite_index() -> None:
    hourly = _synthetic_year(2021, stations=1)
    del hourly["o3"]
    result = air_eval.annual_evaluation(hourly, 2021)
    assert np.isnan(result.composite.total)
    assert result.composite.missing == ["o3"]
    assert any(note.startswith("composite index not computed") for note in result.notes)


def test_annual_percentiles_of_daily_means() -> None:
    so2 = np.full(365, 10.0)
    so2[:9] = 200.0
    pm10 = np.arange(365, dtype=float)
    series = air_eval.DailySeries.from_lists(dt.date(2021, 1, 1), {"so2": so2, "pm10": pm10})
    result = air_eval.evaluate_period(series)
    # HJ 663 Appendix A: k = 1 + 364·0.98 = 357.72 → X(357) = X(358) = 200 (nine days of 200).
    assert result.percentiles["so2_p98"] == 200.0
    assert result.percentiles["pm10_p95"] == air_eval.percentile(pm10, 95) == 345.8
    assert "no2_p98" not in result.percentiles


def _year(year: int, **values: float) -> air_eval.DailySeries:
    days = 366 if year % 4 == 0 else 365
    return _constant_series(dt.date(year, 1, 1), days, **values)


def test_attainment_per_pollutant_against_the_limits_of_the_year() -> None:
    values = {"so2": 10.0, "no2": 40.0, "pm10": 60.0, "pm2_5": 30.0, "co": 1.2, "o3_8h": 150.0}
    old = air_eval.evaluate_period(_year(2021, **values))
    assert old.limit_set is LimitSet.GB3095_2012
    assert {key: found.attains for key, found in old.attainment.items()} == dict.fromkeys(
        ("so2", "no2", "pm10", "pm2_5", "co", "o3"), True
    )
    pm = old.attainment["pm2_5"]
    assert [(c.statistic, c.value, c.limit, c.meets) for c in pm.checks] == [
        ("pm2_5", 30.0, 35.0, True),
        ("pm2_5_p95", 30.0, 75.0, True),
    ]
    final = air_eval.evaluate_period(_year(2031, **values))
    assert final.limit_set is LimitSet.GB3095_2026_FINAL
    # Final limits: NO2 annual 30, PM10 annual 50, PM2.5 annual 25.
    assert {key: found.attains for key, found in final.attainment.items()} == {
        "so2": True, "no2": False, "pm10": False, "pm2_5": False, "co": True, "o3": True
    }  # fmt: skip
    assert final.attainment["no2"].reason is not None
    assert "no2 40" in final.attainment["no2"].reason


def test_attainment_fails_on_the_percentile_alone() -> None:
    so2 = np.full(365, 10.0)
    so2[:9] = 200.0  # annual mean 14.7 ≤ 60, 98th percentile 200 > 150
    series = air_eval.DailySeries.from_lists(dt.date(2021, 1, 1), {"so2": so2})
    found = air_eval.evaluate_period(series).attainment["so2"]
    assert found.attains is False
    assert [check.meets for check in found.checks] == [True, False]
    so2[8] = 10.0  # eight days: p98 = 10 + 0.72·190 = 146.8 ≤ 150
    series = air_eval.DailySeries.from_lists(dt.date(2021, 1, 1), {"so2": so2})
    assert air_eval.evaluate_period(series).attainment["so2"].attains is True


def test_attainment_is_none_without_data_or_validity() -> None:
    result = air_eval.evaluate_period(_constant_series(dt.date(2021, 1, 1), 200, so2=10.0))
    so2 = result.attainment["so2"]
    assert so2.attains is None
    assert so2.reason is not None
    assert "200 valid days" in so2.reason
    assert [check.meets for check in so2.checks] == [True, True]  # the values themselves meet
    assert result.attainment["o3"].attains is None
    assert "no value" in (result.attainment["o3"].reason or "")
    month = air_eval.evaluate_period(
        _constant_series(dt.date(2021, 1, 1), 31, so2=10.0), period="month"
    )
    assert month.attainment == {}  # GB 3095 annual limits judge years only
