"""Synthetic hourly air data for the demo city, made so that the engine's figures from those
hours come close to the article's (docs/environment.md, "Demo data").

Each year is generated on its own from a seeded NumPy generator (``SEED``, year), so any subset
of years gives the same hours. Per year and pollutant a *designed* city daily series is built
(seasonal cycle, shared weather factor, noise), then hours are drawn around it for every station
(station factor, diurnal profile, hourly noise) and rescaled so that each station-day's mean of
its valid hours is exactly the designed value times the station's factor — the city daily value
(HJ 663: the mean over valid stations) is then the designed one. Targets:

* annual evaluation values: SO2, NO2, PM10, PM2.5 annual means, CO 95th percentile and O3 90th
  percentile of MDA8, interpolated between the 2013 and 2021 values that give the article's
  composite index (6.93, 3.90) and changes (−48.1 %, −47.5 %, −85.4 %, −27.5 %, −56.0 %);
* polluted days (AQI > 100): PM2.5 carries them (days above 75 µg/m³), after the days O3 or
  another pollutant already makes polluted; the other days stay below 72 µg/m³;
* invalid days: platform outages (hours 00–05 of a day missing at every station) make a day's
  24-hour means invalid by GB 3095 Table 4 (20 hours needed), so its AQI is invalid; 2013 has
  four (361 valid days: 214 good days, ratio 59.3 %), 2021 one (364 valid: 310, 85.2 %), which
  gives the article's 25.9-point rise (310/365 − 214/365 would be 26.3).

Nothing here is a figure: the figures are computed by the engine from the stored hours.
"""

from __future__ import annotations

import calendar
import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zhizao.indicators import air, air_eval
from zhizao.indicators.air import Indicator

FloatArray = npt.NDArray[np.float64]
SEED = 20130101
FIRST_YEAR, LAST_YEAR = 2013, 2021

# Annual evaluation values: (SO2, NO2, PM10, PM2.5 means µg/m³; CO p95 mg/m³; O3 p90 µg/m³).
TARGET_2013 = {"so2": 51.0, "no2": 40.0, "pm10": 112.0, "pm2_5": 77.0, "co": 2.2, "o3": 116.8}
CHANGE_2021 = {"so2": -85.4, "no2": -27.5, "pm10": -47.5, "pm2_5": -48.1, "co": -56.0}
COMPOSITE_2021 = 3.90
GOOD_DAYS = {2013: 214, 2021: 310}
OUTAGE_DAYS = {2013: 4, 2021: 1}  # invalid days by platform outages
POLLUTED_CAP = 72.0  # PM2.5 of a day meant to be good stays below this
POLLUTED_FLOOR = 78.0  # and of a day meant to be polluted above this
MISSING_HOUR_RATE = 0.004


def target_2021() -> dict[str, float]:
    values = {k: TARGET_2013[k] * (1 + CHANGE_2021[k] / 100) for k in CHANGE_2021}
    limits = {"so2": 60, "no2": 40, "pm10": 70, "pm2_5": 35, "co": 4}
    rest = sum(values[k] / limits[k] for k in limits)
    values["o3"] = (COMPOSITE_2021 - rest) * 160
    return values


def targets(year: int) -> tuple[dict[str, float], int, int]:
    """(evaluation values, good days, outage days) of a year: the article's for 2013 and 2021,
    interpolated between them (concentrations geometrically, good days linearly)."""
    last = target_2021()
    share = (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR)
    values = {k: TARGET_2013[k] * (last[k] / TARGET_2013[k]) ** share for k in TARGET_2013}
    good = GOOD_DAYS.get(year, round(GOOD_DAYS[2013] + share * (GOOD_DAYS[2021] - GOOD_DAYS[2013])))
    outages = OUTAGE_DAYS.get(year, 2)
    return values, good, outages


@dataclass(frozen=True)
class StationSpec:
    code: str
    name: str
    name_en: str
    district: str
    latitude: str
    longitude: str


STATIONS = (
    StationSpec(
        "2201A", "市监测站", "City Monitoring Station", "430203", "27.829100", "113.150700"
    ),
    StationSpec("2202A", "天台山庄", "Tiantai Shanzhuang", "430211", "27.826200", "113.082100"),
    StationSpec("2203A", "市四中", "No. 4 Middle School", "430204", "27.870400", "113.130200"),
    StationSpec("2204A", "株冶医院", "Zhuye Hospital", "430204", "27.885100", "113.109800"),
    StationSpec("2205A", "千金药业", "Qianjin Pharmaceutical", "430202", "27.859800", "113.169900"),
    StationSpec("2206A", "大京水库", "Dajing Reservoir", "430202", "27.881700", "113.200300"),
    StationSpec(
        "2207A",
        "湖南工业大学",
        "Hunan University of Technology",
        "430211",
        "27.810300",
        "113.100600",
    ),
    StationSpec("2208A", "云田", "Yuntian", "430204", "27.902000", "113.160000"),
)

DIURNAL = {
    "so2": 1 + 0.15 * np.sin((np.arange(24) - 6) / 24 * 2 * np.pi),
    "no2": 1 + 0.25 * np.cos((np.arange(24) - 8) / 12 * 2 * np.pi),
    "pm10": 1 + 0.15 * np.cos((np.arange(24) - 9) / 12 * 2 * np.pi),
    "pm2_5": 1 + 0.12 * np.cos((np.arange(24) - 9) / 12 * 2 * np.pi),
    "co": 1 + 0.2 * np.cos((np.arange(24) - 8) / 12 * 2 * np.pi),
    "o3": 0.4 + 0.9 * np.exp(-(((np.arange(24) - 15) / 3.5) ** 2)),
}


@dataclass
class YearData:
    """One year's hours: arrays (stations, days, 24) per pollutant (NaN = no value) and the
    platform flag per station-hour ("V", "N" missing, "M" maintenance)."""

    year: int
    start: dt.date
    values: dict[str, FloatArray]
    flags: npt.NDArray[np.str_]


def _season(days: int, peak_day: int) -> FloatArray:
    return np.cos((np.arange(days) - peak_day) / days * 2 * np.pi)


def _shape(
    rng: np.random.Generator,
    weather: FloatArray,
    season: FloatArray,
    sigma: float,
    amplitude: float,
) -> FloatArray:
    own = rng.standard_normal(weather.size)
    log = sigma * (0.7 * weather + 0.7 * own) + amplitude * season
    shape = np.exp(log)
    result: FloatArray = shape / shape.mean()
    return result


def _iaqi(indicator: Indicator, values: FloatArray) -> FloatArray:
    return air.iaqi(indicator, np.round(values, 6), edition="2012")


def _design_pm25(
    rng: np.random.Generator,
    score: FloatArray,
    polluted_by_others: npt.NDArray[np.bool_],
    outage: npt.NDArray[np.bool_],
    polluted_target: int,
    mean_target: float,
) -> FloatArray:
    """PM2.5 daily values: exactly ``polluted_target`` polluted days in all (those others make
    polluted plus the highest-scoring rest above 78), the other days below 72, and the mean over
    the valid (non-outage) days equal to ``mean_target``."""
    days = score.size
    need = max(0, polluted_target - int(polluted_by_others.sum()))
    candidates = np.flatnonzero(~polluted_by_others & ~outage)
    chosen = candidates[np.argsort(-score[candidates], kind="stable")[:need]]
    polluted = np.zeros(days, dtype=bool)
    polluted[chosen] = True
    values = np.empty(days)
    values[polluted] = POLLUTED_FLOOR + 60 * rng.gamma(1.6, 0.45, size=polluted.sum())
    rest = ~polluted
    # The rest: POLLUTED_CAP × u^k for ranked uniform u, with k setting their mean.
    valid = ~outage
    total = mean_target * valid.sum()
    rest_valid = rest & valid
    rest_mean = (total - values[polluted & valid].sum()) / max(1, rest_valid.sum())
    rest_mean = float(np.clip(rest_mean, 8.0, POLLUTED_CAP * 0.9))
    ranks = np.argsort(np.argsort(score[rest] + 0.3 * rng.standard_normal(rest.sum())))
    u = (ranks + 0.5) / rest.sum()
    k = POLLUTED_CAP / rest_mean - 1
    values[rest] = POLLUTED_CAP * u**k
    # Re-balance the mean exactly through the polluted days' excess over the floor.
    excess = total - values[valid].sum()
    above = polluted & valid
    if above.any():
        room = values[above] - POLLUTED_FLOOR
        scale = max(0.0, 1 + excess / max(room.sum(), 1e-9))
        values[above] = POLLUTED_FLOOR + room * scale
    else:
        values[rest] *= total / values[valid].sum()
    return values


def _hours_around(
    rng: np.random.Generator,
    daily: FloatArray,
    key: str,
    station_factor: FloatArray,
    present: npt.NDArray[np.bool_],
    sigma: float = 0.18,
) -> FloatArray:
    """Hours whose valid-hour mean per station-day is ``daily × factor`` (city mean = daily)."""
    _stations, _days, _hours = present.shape
    noise = np.exp(sigma * rng.standard_normal(present.shape))
    raw = daily[None, :, None] * DIURNAL[key][None, None, :] * noise
    raw = np.where(present, raw, np.nan)
    station_ok = np.sum(present, axis=2) >= 20
    factor = np.where(station_ok, station_factor[:, None], np.nan)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # days without any valid station
        factor = factor / np.nanmean(factor, axis=0, keepdims=True)
        means = np.nanmean(raw, axis=2)
        scaled: FloatArray = raw * (daily[None, :] * factor / means)[:, :, None]
    return scaled


def generate_year(year: int, stations: int = len(STATIONS)) -> YearData:
    rng = np.random.default_rng([SEED, year])
    days = 366 if calendar.isleap(year) else 365
    start = dt.date(year, 1, 1)
    values_target, good_target, outages = targets(year)
    valid_target = days - outages
    polluted_target = valid_target - good_target

    # Which station-hours exist: random missing hours, a few maintenance days per station, and
    # the platform outages (hours 00–05 of a day at every station).
    flags = np.full((stations, days, 24), "V")
    flags[rng.random((stations, days, 24)) < MISSING_HOUR_RATE] = "N"
    for station in range(stations):
        for day in rng.choice(days, size=3, replace=False):
            flags[station, day, 9:19] = "M"
    weather = rng.standard_normal(days)
    weather = np.convolve(weather, np.ones(3) / np.sqrt(3), mode="same")  # spells of weather
    winter = _season(days, 10)

    # O3 first: its hours set its MDA8, scaled so that the 90th percentile is the target.
    o3_level = _shape(rng, -0.5 * weather, -winter, 0.25, 0.35)
    o3_present = flags == "V"
    o3 = _hours_around(
        rng, o3_level * 100, "o3", 1 + 0.1 * rng.standard_normal(stations), o3_present, 0.12
    )
    o3 = np.where(o3_present, o3, np.nan)
    mda8 = air_eval.city_daily(air_eval.o3_mda8(o3))
    scale = values_target["o3"] / float(air_eval.percentile(mda8, 90))
    o3 *= scale
    o3 = np.round(o3, 1)

    # Outage days: good-looking days (low weather score), spread over different months.
    score = weather + 0.8 * winter
    outage = np.zeros(days, dtype=bool)
    months = rng.choice(12, size=outages, replace=False)
    for month in months:
        first = (dt.date(year, month + 1, 1) - start).days
        last = first + calendar.monthrange(year, month + 1)[1]
        window = np.arange(first + 2, last - 2)
        window = window[mda8[window] * scale < 120]  # a day O3 leaves good (AQI ≤ 100 without PM)
        outage[window[np.argmin(score[window])]] = True
    for day in np.flatnonzero(outage):
        flags[:, day, 0:6] = "N"
    present = flags == "V"
    o3 = np.where(present, o3, np.nan)

    # The other pollutants' designed city daily series.
    daily: dict[str, FloatArray] = {}
    daily["so2"] = _shape(rng, weather, winter, 0.3, 0.25)
    daily["no2"] = np.minimum(_shape(rng, weather, winter, 0.2, 0.15), 1.8)
    daily["co"] = _shape(rng, weather, winter, 0.25, 0.2)
    valid = ~outage
    for key in ("so2", "no2"):
        daily[key] *= values_target[key] / daily[key][valid].mean()
    daily["co"] *= values_target["co"] / float(air_eval.percentile(daily["co"][valid], 95))
    o3_daily = air_eval.city_daily_series({"o3": o3}, start)
    others = np.zeros(days, dtype=bool)
    with np.errstate(invalid="ignore"):
        for indicator, series in (
            (Indicator.SO2_24H, daily["so2"]),
            (Indicator.NO2_24H, daily["no2"]),
            (Indicator.CO_24H, daily["co"]),
            (Indicator.O3_8H, o3_daily.values["o3_8h"]),
            (Indicator.O3_1H, o3_daily.values["o3_1h"]),
        ):
            others |= _iaqi(indicator, series) > 100
    others &= valid
    daily["pm2_5"] = _design_pm25(
        rng,
        score + 0.3 * rng.standard_normal(days),
        others,
        outage,
        polluted_target,
        values_target["pm2_5"],
    )
    ratio = values_target["pm10"] / values_target["pm2_5"]
    pm10 = daily["pm2_5"] * ratio * np.exp(0.06 * rng.standard_normal(days))
    daily["pm10"] = pm10 * values_target["pm10"] / pm10[valid].mean()

    values: dict[str, FloatArray] = {"o3": o3}
    for key in ("so2", "no2", "pm10", "pm2_5", "co"):
        factor = 1 + 0.1 * rng.standard_normal(stations)
        hours = _hours_around(rng, daily[key], key, factor, present)
        values[key] = np.round(hours, 3 if key == "co" else 1)
    missing = flags != "V"
    for key in values:
        values[key][missing] = np.nan
    return YearData(year, start, values, flags)


def years_from_setting(text: str) -> list[int]:
    """``"2013-2021"`` or ``"2013,2021"`` → the years."""
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            first, last = (int(x) for x in part.split("-", 1))
            years.update(range(first, last + 1))
        else:
            years.add(int(part))
    return sorted(years)
