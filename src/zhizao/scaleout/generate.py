"""A seeded synthetic national dataset in the open-data layout (``zhizao scaleout generate``),
for tests and benchmarks: rapid tests, sampling batches and station-hours of ``cities`` cities
in the 31 provinces, one year. Vectorised NumPy → pyarrow, written city by city in blocks of at
most :data:`BLOCK_ROWS` rows, so memory stays bounded whatever ``records`` is. ``_layout.json``
says ``"synthetic": true`` with the generator's parameters; every row's ``synthetic`` is true.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa

from zhizao.scaleout.layout import SCHEMAS, Manifest, PartitionWriter, write_layout

BLOCK_ROWS: Final = 1_000_000
# GB/T 2260 province-level prefixes (the 31 of the mainland).
PROVINCE_PREFIXES: Final = (
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65",
)  # fmt: skip
CATEGORIES: Final = ("vegetables", "meat", "aquatic", "other")
CATEGORY_SHARE: Final = (0.55, 0.25, 0.15, 0.05)
PRODUCTS: Final = {
    "vegetables": ("青菜", "菠菜", "韭菜", "芹菜"),
    "meat": ("猪肉", "牛肉", "羊肉", "鸡肉"),
    "aquatic": ("草鱼", "鲫鱼", "虾"),
    "other": ("豆芽", "鸡蛋"),
}
ITEMS: Final = {
    "vegetables": "有机磷和氨基甲酸酯类农药残留",
    "meat": "克伦特罗",
    "aquatic": "孔雀石绿",
    "other": "二氧化硫残留",
}
MARKET_KINDS: Final = ("farmers_market", "supermarket", "wholesale_market")
DOMAINS: Final = (
    "consumer_goods",
    "industrial",
    "agri",
    "food_safety_supervisory",
    "food_safety_evaluative",
)
DISTRICTS_PER_CITY: Final = 5
MARKETS_PER_CITY: Final = 40
# Typical annual levels (µg/m³; CO mg/m³) and their spread between stations.
AIR_LEVELS: Final = {"so2": 10.0, "no2": 28.0, "pm10": 60.0, "pm2_5": 33.0, "co": 0.8, "o3": 90.0}


@dataclass(frozen=True)
class Plan:
    cities: int
    records: int
    stations: int
    sampling: int
    seed: int
    year: int


def city_codes(cities: int) -> list[tuple[str, str]]:
    """(province, city) GB/T 2260-shaped codes, spread over the 31 provinces in turn."""
    codes = []
    for index in range(cities):
        prefix = PROVINCE_PREFIXES[index % len(PROVINCE_PREFIXES)]
        number = index // len(PROVINCE_PREFIXES) + 1
        codes.append((f"{prefix}0000", f"{prefix}{number:02d}00"))
    return codes


def _spread(rng: np.random.Generator, total: int, parts: int) -> np.ndarray:
    """``total`` split over ``parts`` by lognormal weights (big and small cities)."""
    if parts == 0:
        return np.zeros(0, dtype=np.int64)
    weights = rng.lognormal(0.0, 0.8, parts)
    return rng.multinomial(total, weights / weights.sum()).astype(np.int64)


def _strings(values: list[str], indices: np.ndarray) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32)), pa.array(values)
    ).cast(pa.string())


def _local_times(rng: np.random.Generator, year: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """UTC timestamps (µs) of random local times in the year, and their local month."""
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    seconds = rng.integers(0, days * 86_400, size)
    local = np.datetime64(f"{year:04d}-01-01T00:00:00", "s") + seconds
    month = (local.astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(np.int8)
    utc = (local - np.timedelta64(8, "h")).astype("datetime64[us]")
    return utc, month


def _rapidtest_block(
    rng: np.random.Generator, city: str, first_id: int, size: int, fail_rate: float, year: int
) -> pa.RecordBatch:
    tested_at, month = _local_times(rng, year, size)
    category = rng.choice(len(CATEGORIES), size, p=CATEGORY_SHARE)
    product_names = [name for c in CATEGORIES for name in PRODUCTS[c]]
    offsets = np.cumsum([0] + [len(PRODUCTS[c]) for c in CATEGORIES])[:-1]
    counts = np.array([len(PRODUCTS[c]) for c in CATEGORIES])
    product = offsets[category] + rng.integers(0, counts[category])
    passed = rng.random(size) >= fail_rate
    record_id = np.arange(first_id, first_id + size, dtype=np.int64)
    market = rng.integers(0, MARKETS_PER_CITY, size)
    markets = [f"SYN{city}{n:04d}" for n in range(MARKETS_PER_CITY)]
    districts = [f"{city[:4]}{n + 1:02d}" for n in range(DISTRICTS_PER_CITY)]
    return pa.RecordBatch.from_arrays(
        [
            pa.array(record_id),
            pa.array(tested_at, type=pa.timestamp("us", tz="UTC")),
            pa.array(month),
            _strings(districts, market % DISTRICTS_PER_CITY),
            _strings(markets, market),
            _strings(list(MARKET_KINDS), market % len(MARKET_KINDS)),
            _strings(product_names, product),
            _strings(list(CATEGORIES), category),
            _strings([ITEMS[c] for c in CATEGORIES], category),
            pa.array(np.round(rng.gamma(2.0, 10.0, size), 1)),
            pa.array(passed),
            pa.array(record_id).cast(pa.string()),
            pa.array(np.ones(size, dtype=bool)),
            pa.array(passed),
            pa.array(np.ones(size, dtype=bool)),
        ],
        schema=SCHEMAS["rapidtest"],
    )


def _sampling_block(
    rng: np.random.Generator, city: str, size: int, fail_rate: float, year: int
) -> pa.RecordBatch:
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    sampled = np.datetime64(f"{year:04d}-01-01", "D") + rng.integers(0, days, size)
    month = (sampled.astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(np.int8)
    domain = rng.integers(0, len(DOMAINS), size)
    failed = rng.random(size) < fail_rate
    overturned = failed & (rng.random(size) < 0.05)
    districts = [f"{city[:4]}{n + 1:02d}" for n in range(DISTRICTS_PER_CITY)]
    return pa.RecordBatch.from_arrays(
        [
            pa.array(np.arange(1, size + 1, dtype=np.int64)),
            pa.array(sampled),
            pa.array(month),
            _strings(districts, rng.integers(0, DISTRICTS_PER_CITY, size)),
            _strings(list(DOMAINS), domain),
            _strings(["儿童玩具", "家用电器", "服装", "食品"], rng.integers(0, 4, size)),
            _strings(["积木", "电水壶", "衬衫", "饼干"], rng.integers(0, 4, size)),
            _strings(["pass", "fail"], failed.astype(np.int64)),
            pa.array(failed.astype(np.int16)),
            pa.array(overturned),
            pa.array(~failed | overturned),
            pa.array(np.ones(size, dtype=bool)),
        ],
        schema=SCHEMAS["sampling"],
    )


def _air_table(
    rng: np.random.Generator, city: str, first_station: int, stations: int, year: int
) -> pa.RecordBatch:
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    hours = days * 24
    size = stations * hours
    station = np.repeat(np.arange(stations), hours)
    hour_of_year = np.tile(np.arange(hours), stations)
    day = np.datetime64(f"{year:04d}-01-01", "D") + hour_of_year // 24
    season = 1.0 + 0.35 * np.cos(2 * np.pi * (hour_of_year / hours))
    columns = {}
    for key, level in AIR_LEVELS.items():
        station_level = level * rng.lognormal(0.0, 0.3, stations)[station]
        factor = season if key != "o3" else 2.0 - season
        value = station_level * factor * rng.lognormal(0.0, 0.45, size)
        columns[key] = np.round(value, 3 if key == "co" else 1)
    flag = np.where(rng.random(size) < 0.97, 0, 1)
    districts = [f"{city[:4]}{n + 1:02d}" for n in range(DISTRICTS_PER_CITY)]
    codes = [f"{first_station + n:04d}A" for n in range(stations)]
    return pa.RecordBatch.from_arrays(
        [
            _strings(codes, station),
            _strings(districts, station % DISTRICTS_PER_CITY),
            pa.array(day),
            pa.array((hour_of_year % 24).astype(np.int8)),
            *(pa.array(columns[key]) for key in AIR_LEVELS),
            _strings(["V", "M"], flag),
            pa.array(np.ones(size, dtype=bool)),
        ],
        schema=SCHEMAS["air"],
    )


def generate(
    root: Path | str,
    *,
    cities: int = 300,
    records: int = 70_000_000,
    stations: int = 2000,
    sampling: int | None = None,
    seed: int = 0,
    year: int = 2025,
) -> dict[str, int]:
    """Write the dataset under ``root``; returns the rows written per dataset."""
    base = Path(root)
    plan = Plan(
        cities, records, stations, records // 50 if sampling is None else sampling, seed, year
    )
    rng = np.random.default_rng(seed)
    codes = city_codes(cities)
    tests = _spread(rng, plan.records, cities)
    batches = _spread(rng, plan.sampling, cities)
    station_counts = _spread(rng, plan.stations, cities)
    fail_rates = np.clip(0.0125 * rng.lognormal(0.0, 0.5, cities), 0.0, 0.5)
    written = {"rapidtest": 0, "sampling": 0, "air": 0}
    write_layout(
        base, synthetic=True, generator={"name": "zhizao scaleout generate", **asdict(plan)}
    )
    first_station = 1
    for index, (province, city) in enumerate(codes):
        manifest = Manifest.load(base, province, city)
        city_rng = np.random.default_rng([seed, index])
        writer = PartitionWriter(base, "rapidtest", province, city, year)
        first = 1
        remaining = int(tests[index])
        while remaining > 0:
            size = min(BLOCK_ROWS, remaining)
            writer.write(_rapidtest_block(city_rng, city, first, size, fail_rates[index], year))
            first += size
            remaining -= size
        writer.commit(manifest)
        written["rapidtest"] += writer.rows
        writer = PartitionWriter(base, "sampling", province, city, year)
        if batches[index]:
            writer.write(
                _sampling_block(city_rng, city, int(batches[index]), 2 * fail_rates[index], year)
            )
        writer.commit(manifest)
        written["sampling"] += writer.rows
        writer = PartitionWriter(base, "air", province, city, year)
        if station_counts[index]:
            writer.write(
                _air_table(city_rng, city, first_station, int(station_counts[index]), year)
            )
            first_station += int(station_counts[index])
        writer.commit(manifest)
        written["air"] += writer.rows
        manifest.save()
    return written
