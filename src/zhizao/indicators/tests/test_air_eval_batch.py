"""The many-stations evaluation (``station_daily_series`` + ``evaluate_periods``) gives every
station exactly what ``city_daily_series`` + ``evaluate_period`` give it alone, on random
hourly data (Hypothesis): missing hours and days, whole pollutants missing, values large enough
for the float fallback of the exact means, years across the 2026 edition change, months."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhizao.indicators import air_eval
from zhizao.indicators.air_eval import ValidityRules
from zhizao.indicators.errors import InputFormatError

SCALES = {"so2": 40.0, "no2": 40.0, "pm10": 90.0, "pm2_5": 60.0, "co": 1.2, "o3": 110.0}


def same(left: Any, right: Any, where: str = "") -> None:
    """Exact equality, NaN equal to NaN, arrays element by element with their dtype."""
    assert type(left) is type(right), where
    if dataclasses.is_dataclass(left) and not isinstance(left, type):
        for item in dataclasses.fields(left):
            same(getattr(left, item.name), getattr(right, item.name), f"{where}.{item.name}")
    elif isinstance(left, np.ndarray):
        assert left.dtype == right.dtype, where
        assert left.shape == right.shape, where
        if left.dtype.kind == "f":
            assert np.array_equal(left, right, equal_nan=True), where
        else:
            assert np.array_equal(left, right), where
    elif isinstance(left, dict):
        assert list(left) == list(right), where
        for key in left:
            same(left[key], right[key], f"{where}[{key!r}]")
    elif isinstance(left, list | tuple):
        assert len(left) == len(right), where
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            same(a, b, f"{where}[{index}]")
    elif isinstance(left, float):
        assert (math.isnan(left) and math.isnan(right)) or left == right, (where, left, right)
    else:
        assert left == right, (where, left, right)


def hourly_data(
    seed: int, stations: int, days: int, pollutants: list[str], gaps: float, huge: bool
) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    data = {}
    for key in pollutants:
        values = rng.gamma(2.0, SCALES[key] / 2, size=(stations, days, 24))
        values = np.round(values, 3 if key == "co" else int(rng.integers(0, 4)))
        values[rng.random(values.shape) < gaps] = np.nan
        dead = rng.random((stations, days)) < gaps / 2  # whole days missing
        values[dead] = np.nan
        if stations > 1:
            values[int(rng.integers(stations))] = np.nan  # a station without this pollutant
        if huge:  # one station far above the exact-decimal range (float fallback)
            values[0] *= 1e12
        data[key] = values
    return data


def assert_batch_equals_alone(
    hourly: dict[str, np.ndarray], start: dt.date, **options: Any
) -> None:
    rules = options.get("rules", air_eval.DEFAULT_RULES)
    batch = air_eval.station_daily_series(hourly, start, rules)
    evaluations = air_eval.evaluate_periods(batch, **options)
    stations = next(iter(hourly.values())).shape[0]
    assert batch.stations == len(evaluations) == stations
    for index in range(stations):
        alone = {key: values[index : index + 1] for key, values in hourly.items()}
        series = air_eval.city_daily_series(alone, start, rules)
        same(batch.station(index), series, f"station {index} series")
        expected = air_eval.evaluate_period(series, **options)
        same(evaluations[index], expected, f"station {index}")


@given(
    seed=st.integers(0, 2**32 - 1),
    stations=st.integers(1, 5),
    start=st.sampled_from([dt.date(2021, 1, 1), dt.date(2026, 1, 1), dt.date(2031, 1, 1)]),
    days=st.sampled_from([365, 200, 31]),
    pollutants=st.lists(st.sampled_from(sorted(SCALES)), min_size=1, max_size=6, unique=True),
    gaps=st.sampled_from([0.0, 0.05, 0.3]),
    huge=st.booleans(),
    edition=st.sampled_from([None, "2012", "2026"]),
)
@settings(max_examples=40, deadline=None)
def test_every_station_of_a_batch_is_evaluated_as_alone(
    seed: int,
    stations: int,
    start: dt.date,
    days: int,
    pollutants: list[str],
    gaps: float,
    huge: bool,
    edition: str | None,
) -> None:
    hourly = hourly_data(seed, stations, days, pollutants, gaps, huge)
    assert_batch_equals_alone(hourly, start, period="year", edition=edition)


@given(seed=st.integers(0, 2**32 - 1), month=st.integers(1, 12), gaps=st.sampled_from([0, 0.2]))
@settings(max_examples=15, deadline=None)
def test_months_of_a_batch_are_evaluated_as_alone(seed: int, month: int, gaps: float) -> None:
    start = dt.date(2026, month, 1)
    days = ((start + dt.timedelta(days=32)).replace(day=1) - start).days
    hourly = hourly_data(seed, 3, days, sorted(SCALES), gaps, huge=False)
    assert_batch_equals_alone(hourly, start, period="month")


def test_a_batch_with_other_rules_and_scheme_is_evaluated_as_alone() -> None:
    hourly = hourly_data(7, 4, 365, sorted(SCALES), 0.1, huge=False)
    rules = ValidityRules(min_hours_per_day=18, min_stations=1, mda8_valid_if_above=None)
    assert_batch_equals_alone(
        hourly,
        dt.date(2027, 1, 1),
        period="year",
        rules=rules,
        scheme="2026-transitional-weighted-unverified",
        zone_class=1,
    )


def test_the_batch_sees_what_a_station_alone_sees() -> None:
    """A non-vacuous check: stations of one batch differ, and each matches itself only."""
    hourly = hourly_data(3, 1, 365, sorted(SCALES), 0.02, huge=False)
    hourly = {key: np.concatenate([values, values]) for key, values in hourly.items()}
    hourly["pm2_5"][1] *= 3
    evaluations = air_eval.evaluate_periods(
        air_eval.station_daily_series(hourly, dt.date(2021, 1, 1))
    )
    low, high = (evaluations[index].concentrations["pm2_5"] for index in (0, 1))
    assert high == pytest.approx(3 * low)
    assert evaluations[1].good_days < evaluations[0].good_days
    with pytest.raises(AssertionError):
        same(evaluations[0], evaluations[1])


def test_batch_shapes_are_checked() -> None:
    with pytest.raises(InputFormatError):
        air_eval.station_daily_series({"so2": np.zeros((365, 24))}, dt.date(2021, 1, 1))
    with pytest.raises(InputFormatError):
        air_eval.StationDailySeries(
            np.datetime64("2021-01-01") + np.arange(3), {"so2": np.zeros(3)}
        )


@given(seed=st.integers(0, 2**32 - 1), stations=st.integers(1, 6), gaps=st.sampled_from([0, 0.1]))
@settings(max_examples=15, deadline=None)
def test_the_city_series_from_station_days_equals_the_one_from_hours(
    seed: int, stations: int, gaps: float
) -> None:
    """Stored station-days give the city exactly what its stations' hours give."""
    hourly = hourly_data(seed, stations, 365, sorted(SCALES), gaps, huge=False)
    start = dt.date(2021, 1, 1)
    station_days = air_eval.station_daily_values(hourly)
    from_days = air_eval.city_series_from_station_days(station_days, start)
    same(from_days, air_eval.city_daily_series(hourly, start))
    same(
        air_eval.evaluate_period(from_days),
        air_eval.evaluate_period(air_eval.city_daily_series(hourly, start)),
    )
