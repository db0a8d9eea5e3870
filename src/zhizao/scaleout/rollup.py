"""Rollups of any number of cities' exports (the open-data layout, :mod:`.layout`).

Two engines, one set of functions:

- ``local``: DuckDB counts the pass-rate table in one query over every partition and reads each
  city-year of station-hours for the air evaluation;
- ``dask``: ``client.map`` runs :func:`count_partition` and :func:`evaluate_air_partition` on
  the workers, one task per partition file (a worker that dies has its tasks re-run
  elsewhere), and the Wilson step on a worker too (``client.submit``).

Either way the formulas are ``zhizao.indicators``' unchanged: the Wilson interval
(:func:`zhizao.indicators.rates.wilson_interval`) over exact integer counts, and the HJ 663
annual evaluation (:func:`zhizao.indicators.air_eval.city_daily_series` and
:func:`~zhizao.indicators.air_eval.evaluate_period`) of each station and of each city, exactly as
``zhizao.environment.evaluation`` calls them for a city's own figures. So both engines give the
same tables (counts exact, rates bit for bit), and a city's row equals its own figure.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from zhizao.indicators import air_eval
from zhizao.indicators.rates import COMPOSITE_DECIMALS, wilson_interval
from zhizao.scaleout.layout import Partition, glob_pattern, partitions, read_layout

NATION: Final = "CN"
ALL_CATEGORIES: Final = "*"
PASS_DATASETS: Final = ("rapidtest", "sampling")
COUNT_KEYS: Final = ["dataset", "province", "city", "year", "month", "category"]
PASS_COLUMNS: Final = [
    "dataset",
    "level",
    "region",
    "province",
    "period",
    "year",
    "month",
    "category",
    "passed",
    "total",
    "rate",
    "low",
    "high",
]
POLLUTANTS: Final = ("so2", "no2", "pm10", "pm2_5", "co", "o3")
CONCENTRATIONS: Final = ("so2", "no2", "pm10", "pm2_5", "co_p95", "o3_8h_p90")
AIR_COLUMNS: Final = [
    "level",
    "province",
    "city",
    "station",
    "year",
    "stations",
    "valid_days",
    "good_days",
    "good_day_ratio",
    "composite",
    "composite_rounded",
    "primary",
    *CONCENTRATIONS,
    "rank_in_province",
    "rank_in_nation",
]


# --- pass rates --------------------------------------------------------------------------------


def count_table(dataset: str, table: pa.Table, province: str, city: str, year: int) -> pd.DataFrame:
    """Passed and total of one partition by month and category. Rapid tests count batches (the
    batch's first test carries it, docs/decisions/0006); sampling counts batches, a re-test that
    overturned the failure counted as passed, the category being the domain (the figure's)."""
    if dataset == "rapidtest":
        table = table.filter(pc.field("batch_first"))
        category, passed = table.column("category"), table.column("batch_passed")
    else:
        category, passed = table.column("domain"), table.column("passed")
    work = pa.table(
        {
            "month": pc.cast(table.column("month"), pa.int64()),
            "category": pc.cast(category, pa.string()),
            "passed": pc.cast(passed, pa.int64()),
        }
    )
    grouped = (
        work.group_by(["month", "category"])
        .aggregate([("passed", "sum"), ("passed", "count")])
        .to_pandas()
        .rename(columns={"passed_sum": "passed", "passed_count": "total"})
        .sort_values(["month", "category"], kind="stable")
    )
    grouped.insert(0, "year", year)
    grouped.insert(0, "city", city)
    grouped.insert(0, "province", province)
    grouped.insert(0, "dataset", dataset)
    return _typed_counts(grouped)


def count_partition(partition: Partition) -> pd.DataFrame:
    """:func:`count_table` of one partition file (a Dask task)."""
    columns = (
        ["month", "category", "batch_first", "batch_passed"]
        if partition.dataset == "rapidtest"
        else ["month", "domain", "passed"]
    )
    table = pq.read_table(partition.path, columns=columns)
    return count_table(partition.dataset, table, partition.province, partition.city, partition.year)


def _typed_counts(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        frame = pd.DataFrame({key: pd.Series(dtype="object") for key in COUNT_KEYS})
        frame["passed"] = pd.Series(dtype="int64")
        frame["total"] = pd.Series(dtype="int64")
    return frame.astype(
        {
            "dataset": str,
            "province": str,
            "city": str,
            "year": "int64",
            "month": "int64",
            "category": str,
            "passed": "int64",
            "total": "int64",
        }
    )[[*COUNT_KEYS, "passed", "total"]]


def local_counts(root: Path | str, datasets: Sequence[str] = PASS_DATASETS) -> pd.DataFrame:
    """The pass-rate counts of every partition in one DuckDB query per dataset."""
    import duckdb

    frames = []
    connection = duckdb.connect()
    try:
        for dataset in datasets:
            if not partitions(root, dataset):
                continue
            source = (
                f"read_parquet('{glob_pattern(root, dataset)}', hive_partitioning = true, "
                "hive_types = {'province': VARCHAR, 'city': VARCHAR, 'year': BIGINT})"
            )
            if dataset == "rapidtest":
                select = (
                    "category, SUM(CASE WHEN batch_passed THEN 1 ELSE 0 END)::BIGINT AS passed, "
                    f"COUNT(*)::BIGINT AS total FROM {source} WHERE batch_first"
                )
            else:
                select = (
                    "domain AS category, SUM(CASE WHEN passed THEN 1 ELSE 0 END)::BIGINT AS passed,"
                    f" COUNT(*)::BIGINT AS total FROM {source}"
                )
            frame = connection.sql(
                f"SELECT '{dataset}' AS dataset, province, city, year, month::BIGINT AS month, "
                f"{select} GROUP BY ALL"
            ).df()
            frames.append(_typed_counts(frame))
    finally:
        connection.close()
    return _merge_counts(frames)


def _merge_counts(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    found = [frame for frame in frames if not frame.empty]
    if not found:
        return _typed_counts(pd.DataFrame())
    merged = pd.concat(found, ignore_index=True)
    return _typed_counts(
        merged.groupby(COUNT_KEYS, as_index=False, sort=True)[["passed", "total"]].sum()
    )


def pass_rate_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts rolled up to city, province and nation × month and year × each category and all
    (``*``); rate = passed / total and its Wilson interval (:func:`with_wilson`)."""
    pieces = []
    with_all = pd.concat([counts, counts.assign(category=ALL_CATEGORIES)], ignore_index=True)
    for level, region in (("city", "city"), ("province", "province"), ("nation", None)):
        frame = with_all.copy()
        frame["region"] = frame[region] if region else NATION
        if level == "nation":
            frame["province"] = ""
        for period in ("month", "year"):
            part = frame if period == "month" else frame.assign(month=0)
            keys = ["dataset", "region", "province", "year", "month", "category"]
            summed = part.groupby(keys, as_index=False, sort=True)[["passed", "total"]].sum()
            summed["level"] = level
            summed["period"] = period
            pieces.append(summed)
    table = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()
    if table.empty:
        table = pd.DataFrame({column: [] for column in PASS_COLUMNS})
    table = table.assign(rate=np.nan, low=np.nan, high=np.nan)[PASS_COLUMNS]
    table = table.sort_values(
        ["dataset", "level", "region", "period", "year", "month", "category"], kind="stable"
    ).reset_index(drop=True)
    return table.astype({"year": "int64", "month": "int64", "passed": "int64", "total": "int64"})


def with_wilson(table: pd.DataFrame) -> pd.DataFrame:
    """The engine's Wilson 95 % interval of every row (the bounds exactly 0 and 1 where none or
    all passed, as ``zhizao.indicators.rates.pass_rate`` gives them)."""
    passed = table["passed"].to_numpy(dtype=np.int64)
    total = table["total"].to_numpy(dtype=np.int64)
    low, high = wilson_interval(passed, total)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(total > 0, passed / total, np.nan)
    out = table.copy()
    out["rate"] = rate
    out["low"] = np.where(passed == 0, 0.0, low)
    out["high"] = np.where(passed == total, 1.0, high)
    return out


# --- air -------------------------------------------------------------------------------------


def _year_days(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def hourly_arrays(table: pa.Table, year: int) -> tuple[list[str], dict[str, np.ndarray]]:
    """(stations, days, 24) arrays per pollutant of a city-year's station-hours: only hours
    flagged V carry values, NaN elsewhere (as ``zhizao.environment.evaluation`` reads them)."""
    encoded = pc.dictionary_encode(table.column("station")).combine_chunks()
    names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    order = np.argsort(names.astype(str), kind="stable")
    stations = [str(name) for name in names[order]]
    position_of = np.empty(len(names), dtype=np.int64)
    position_of[order] = np.arange(len(names))
    days = _year_days(year)
    arrays = {key: np.full((len(stations), days, 24), np.nan) for key in POLLUTANTS}
    flag = np.asarray(pc.equal(table.column("flag"), "V").to_numpy(zero_copy_only=False))
    flag = flag & ~np.asarray(pc.is_null(table.column("flag")).to_numpy(zero_copy_only=False))
    if not flag.any():
        return stations, arrays
    station = position_of[encoded.indices.to_numpy(zero_copy_only=False)[flag]]
    day_values = table.column("day").to_numpy()[flag].astype("datetime64[D]")
    day = (day_values - np.datetime64(f"{year:04d}-01-01", "D")).astype(np.int64)
    hour = table.column("hour").to_numpy()[flag].astype(np.int64)
    inside = (day >= 0) & (day < days)
    for key in POLLUTANTS:
        values = table.column(key).to_numpy(zero_copy_only=False)[flag].astype(np.float64)
        arrays[key][station[inside], day[inside], hour[inside]] = values[inside]
    return stations, arrays


def _row(
    level: str,
    province: str,
    city: str,
    station: str,
    year: int,
    stations: int,
    evaluation: air_eval.PeriodEvaluation,
) -> dict[str, Any]:
    composite = evaluation.composite
    row: dict[str, Any] = {
        "level": level,
        "province": province,
        "city": city,
        "station": station,
        "year": year,
        "stations": stations,
        "valid_days": evaluation.valid_days,
        "good_days": evaluation.good_days,
        "good_day_ratio": evaluation.good_day_ratio_rounded(1),
        "composite": composite.total,
        "composite_rounded": composite.rounded(COMPOSITE_DECIMALS),
        "primary": ",".join(composite.primary),
    }
    for key in CONCENTRATIONS:
        row[key] = evaluation.concentrations.get(key, math.nan)
    return row


def evaluate_air_table(table: pa.Table, province: str, city: str, year: int) -> pd.DataFrame:
    """Each station's and the city's annual evaluation (HJ 663) of a city-year's hours."""
    stations, hourly = hourly_arrays(table, year)
    start = dt.date(year, 1, 1)
    rows = []
    for position, code in enumerate(stations):
        one = {key: values[position : position + 1] for key, values in hourly.items()}
        series = air_eval.city_daily_series(one, start)
        evaluation = air_eval.evaluate_period(series, period="year")
        rows.append(_row("station", province, city, code, year, 1, evaluation))
    if stations:
        series = air_eval.city_daily_series(hourly, start)
        evaluation = air_eval.evaluate_period(series, period="year")
        rows.append(_row("city", province, city, "", year, len(stations), evaluation))
    return pd.DataFrame(rows, columns=AIR_COLUMNS[:-2])


def evaluate_air_partition(partition: Partition) -> pd.DataFrame:
    """:func:`evaluate_air_table` of one partition file (a Dask task)."""
    table = pq.read_table(partition.path)
    return evaluate_air_table(table, partition.province, partition.city, partition.year)


def rank_air(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank stations and cities by composite index (lower is better; ties share the rank;
    no index, no rank), within their province and the nation, per year and level."""
    out = frame.copy()
    if out.empty:
        out["rank_in_province"] = pd.Series(dtype="Int64")
        out["rank_in_nation"] = pd.Series(dtype="Int64")
        return out[AIR_COLUMNS]
    composite = out["composite"].astype(np.float64)
    out["rank_in_province"] = (
        composite.groupby([out["level"], out["year"], out["province"]])
        .rank(method="min", ascending=True)
        .astype("Int64")
    )
    out["rank_in_nation"] = (
        composite.groupby([out["level"], out["year"]]).rank(method="min").astype("Int64")
    )
    out = out.sort_values(["level", "year", "province", "city", "station"], kind="stable")
    return out.reset_index(drop=True)[AIR_COLUMNS]


def _air_frame(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    found = [frame for frame in frames if not frame.empty]
    frame = (
        pd.concat(found, ignore_index=True)
        if found
        else pd.DataFrame({column: [] for column in AIR_COLUMNS[:-2]})
    )
    frame = frame.astype(
        {"year": "int64", "stations": "int64", "valid_days": "int64", "good_days": "int64"}
    )
    return rank_air(frame)


# --- the engines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """The rollup's two tables and what it was computed from."""

    pass_rates: pd.DataFrame
    air: pd.DataFrame
    engine: str
    synthetic: bool
    partitions: int

    def write(self, out: Path | str) -> list[Path]:
        """``passrates.parquet``, ``air.parquet`` and ``_rollup.json`` under ``out``."""
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in (("passrates", self.pass_rates), ("air", self.air)):
            path = directory / f"{name}.parquet"
            temporary = directory / f".{name}.parquet.tmp"
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), temporary)
            temporary.replace(path)
            written.append(path)
        meta = directory / "_rollup.json"
        meta.write_text(
            json.dumps(
                {
                    "engine": self.engine,
                    "synthetic": self.synthetic,
                    "partitions": self.partitions,
                    "pass_rate_rows": len(self.pass_rates),
                    "air_rows": len(self.air),
                    "computed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        return written


def pass_rates_local(root: Path | str, datasets: Sequence[str] = PASS_DATASETS) -> pd.DataFrame:
    """The pass-rate table on one machine: DuckDB counts, the engine's Wilson interval."""
    return with_wilson(pass_rate_table(local_counts(root, datasets)))


def pass_rates_dask(
    root: Path | str, client: Any, datasets: Sequence[str] = PASS_DATASETS
) -> pd.DataFrame:
    """The pass-rate table on a cluster: one counting task per partition, then the Wilson step
    on a worker."""
    counted = [p for dataset in datasets for p in partitions(root, dataset)]
    counts = _merge_counts(client.gather(client.map(count_partition, counted, pure=False)))
    return client.submit(with_wilson, pass_rate_table(counts), pure=False).result()


def air_local(root: Path | str) -> pd.DataFrame:
    """Every station's and city's annual evaluation, each city-year read by DuckDB."""
    import duckdb

    frames = []
    connection = duckdb.connect()
    try:
        for partition in partitions(root, "air"):
            table = connection.sql(
                f"SELECT * FROM read_parquet('{partition.path}', hive_partitioning = false)"
            ).to_arrow_table()
            frames.append(
                evaluate_air_table(table, partition.province, partition.city, partition.year)
            )
    finally:
        connection.close()
    return _air_frame(frames)


def air_dask(root: Path | str, client: Any) -> pd.DataFrame:
    """Every station's and city's annual evaluation, one task per city-year on the cluster."""
    found = partitions(root, "air")
    return _air_frame(client.gather(client.map(evaluate_air_partition, found, pure=False)))


def _count_inputs(root: Path | str) -> tuple[bool, int]:
    layout = read_layout(root)
    found = [p for dataset in (*PASS_DATASETS, "air") for p in partitions(root, dataset)]
    return bool(layout.get("synthetic")), len(found)


def rollup_local(root: Path | str) -> Rollup:
    """One machine: DuckDB counts; each city-year of hours read by DuckDB and evaluated."""
    synthetic, found = _count_inputs(root)
    return Rollup(pass_rates_local(root), air_local(root), "local", synthetic, found)


def rollup_dask(root: Path | str, client: Any) -> Rollup:
    """On a Dask cluster (``client``: a ``distributed.Client``): one task per partition file."""
    synthetic, found = _count_inputs(root)
    return Rollup(pass_rates_dask(root, client), air_dask(root, client), "dask", synthetic, found)


def rollup(root: Path | str, engine: str = "local", scheduler: str | None = None) -> Rollup:
    """Run the rollup with ``engine`` (``dask`` connects to ``scheduler``, or starts a local
    cluster of this machine's cores when none is given)."""
    if engine == "local":
        return rollup_local(root)
    if engine != "dask":
        raise ValueError(f"unknown engine {engine!r}: local or dask (引擎只能是 local 或 dask)")
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            return rollup_dask(root, client)
    cluster = LocalCluster(processes=True, dashboard_address=None)  # type: ignore[no-untyped-call]
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        return rollup_dask(root, client)
