"""Benchmark of the scale-out rollups (``make bench`` → ``bench/results/scaleout.json``).

In one run on this machine, over a generated national dataset (``zhizao scaleout generate``,
seeded, labelled synthetic):

* the rapid-test pass rate by city × month (and province, nation, year, category, with Wilson
  intervals) of ``--rows`` tests (default 20 million): the ``local`` engine (DuckDB), the
  ``dask`` engine on a ``LocalCluster`` of 1 and of 2 worker processes, and a plain DuckDB
  ``GROUP BY city, month`` of the same files (the floor the local engine is judged against);
* the annual HJ 663 evaluation of ``--stations`` stations (default 2,000; 17.5 million
  station-hours) and of their cities, with the ranking, on the same engines;
* wall time, the peak memory (max RSS) of the local process and of each Dask worker, the
  cluster's start time, and the load average before and after (the machine is shared).

Run: ``python bench/scaleout_bench.py [--rows N] [--stations N] [--out FILE]``; a run with
fewer rows than the default writes to ``bench/results/scaleout-small.json`` unless ``--out``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from zhizao.scaleout import rollup  # noqa: E402
from zhizao.scaleout.generate import generate  # noqa: E402
from zhizao.scaleout.layout import glob_pattern  # noqa: E402

RESULTS = ROOT / "bench" / "results"
ROWS = 20_000_000
STATIONS = 2_000
CITIES = 300


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def duckdb_passrate(root: str) -> float:
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect()
    connection.sql(
        f"SELECT city, month, COUNT(*) AS total, SUM(batch_passed::INT) AS passed "
        f"FROM read_parquet('{glob_pattern(root, 'rapidtest')}', hive_partitioning = true, "
        "hive_types = {'province': VARCHAR, 'city': VARCHAR, 'year': BIGINT}) "
        "WHERE batch_first GROUP BY city, month"
    ).df()
    connection.close()
    return time.perf_counter() - started


def _warm() -> bool:
    """Import what a run needs (each side warmed the same way before it is timed)."""
    import duckdb
    import pandas  # noqa: F401

    import zhizao.indicators.air_eval  # noqa: F401

    duckdb.connect().close()
    return True


def _local_child(root: str, queue: Any) -> None:
    _warm()
    started = time.perf_counter()
    rates = rollup.pass_rates_local(root, ("rapidtest",))
    passrate = time.perf_counter() - started
    started = time.perf_counter()
    air = rollup.air_local(root)
    stations = time.perf_counter() - started
    queue.put((passrate, stations, _peak_mb(), rates, air))


def run_local(root: str) -> tuple[float, float, float, Any, Any]:
    """The local engine in a fresh process, so that its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_local_child, args=(root, queue))
    child.start()
    result = queue.get()
    child.join()
    return result  # type: ignore[no-any-return]


def run_dask(root: str, workers: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        client.run(_warm)
        start_s = time.perf_counter() - started
        started = time.perf_counter()
        rates = rollup.pass_rates_dask(root, client, ("rapidtest",))
        passrate = time.perf_counter() - started
        started = time.perf_counter()
        air = rollup.air_dask(root, client)
        stations = time.perf_counter() - started
        peaks = sorted(client.run(_peak_mb).values())
    return {
        "start_s": round(start_s, 2),
        "passrate_s": passrate,
        "stations_s": stations,
        "peak_mb": peaks,
        "rates": rates,
        "air": air,
    }


def same(left: Any, right: Any) -> bool:
    import pandas as pd

    try:
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12)
    except AssertionError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--stations", type=int, default=STATIONS)
    parser.add_argument("--cities", type=int, default=CITIES)
    parser.add_argument("--out")
    args = parser.parse_args()
    full = args.rows >= ROWS and args.stations >= STATIONS
    out = (
        Path(args.out)
        if args.out
        else RESULTS / ("scaleout.json" if full else "scaleout-small.json")
    )
    _warm()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="zhizao-scaleout-") as root:
        started = time.perf_counter()
        rows = generate(
            root,
            cities=args.cities,
            records=args.rows,
            stations=args.stations,
            sampling=args.rows // 50,
            seed=2026,
        )
        generate_s = time.perf_counter() - started
        duckdb_s = duckdb_passrate(root)
        local_pass, local_air, local_peak, rates, air = run_local(root)
        duckdb_again = duckdb_passrate(root)  # the floor, measured on both sides of the run
        one = run_dask(root, 1)
        two = run_dask(root, 2)
        load_after = os.getloadavg()
    floor = min(duckdb_s, duckdb_again)
    result = {
        "what": "pass rate by city x month (+ province, nation, year, category, Wilson) of the "
        "rapid tests; HJ 663 annual evaluation of every station and city with the ranking",
        "rows": rows["rapidtest"],
        "station_hours": rows["air"],
        "stations": args.stations,
        "cities": args.cities,
        "generate_s": round(generate_s, 1),
        "duckdb_passrate_20m_s": round(floor, 3),
        "duckdb_passrate_runs_s": [round(duckdb_s, 3), round(duckdb_again, 3)],
        "passrate_20m_s_local": round(local_pass, 3),
        "passrate_20m_s_dask_1w": round(one["passrate_s"], 3),
        "passrate_20m_s_dask_2w": round(two["passrate_s"], 3),
        "stations_2000_s_local": round(local_air, 2),
        "stations_2000_s_dask_1w": round(one["stations_s"], 2),
        "stations_2000_s_dask_2w": round(two["stations_s"], 2),
        "ratio_local_vs_duckdb": round(local_pass / floor, 2),
        "ratio_dask_1w_vs_duckdb": round(one["passrate_s"] / floor, 2),
        "ratio_dask_2w_vs_duckdb": round(two["passrate_s"] / floor, 2),
        "dask_start_s_1w": one["start_s"],
        "dask_start_s_2w": two["start_s"],
        "peak_rss_mb_local": local_peak,
        "peak_rss_mb_per_worker_1w": one["peak_mb"],
        "peak_rss_mb_per_worker_2w": two["peak_mb"],
        "identical_local_dask": same(rates, one["rates"])
        and same(rates, two["rates"])
        and same(air, one["air"])
        and same(air, two["air"]),
        "targets": {
            "local_within_1_5x_duckdb": local_pass <= 1.5 * floor,
            "dask_2w_faster_than_1w_passrate": two["passrate_s"] < one["passrate_s"],
            "dask_2w_faster_than_1w_stations": two["stations_s"] < one["stations_s"],
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if result["identical_local_dask"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
