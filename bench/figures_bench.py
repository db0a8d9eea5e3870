"""Figures benchmark -> bench/results/figures.json.

``zhizao figures --city 株洲市 --year 2021 --json`` over the demo city (default 1.1 million
rapid-test records), on SQLite and on PostgreSQL, in one run:
- ``figures_s_<vendor>``: wall time of the command as a user runs it (a new process: Python and
  Django start-up included), the median of 3 runs; the target is under 2 s;
- ``figures_cpu_s_<vendor>``: the CPU time (user + system) of that process, which waiting for a
  CPU on a busy machine does not inflate;
- ``figures_compute_s_<vendor>``: the registry's ``compute_all`` alone, in a warm process
  (median of 3);
- the baseline, ``count_s_<vendor>``: one ``SELECT count(*)`` over the rapid-test table in the
  same run (median of 3);
- ``codes``: how many figures the command printed.

Usage: python bench/figures_bench.py [--rows 1100000] [--pg postgres://postgres@127.0.0.1:5432]
       [--pg-db figures_bench] [--reuse]
Each step runs in its own process. ``--reuse`` keeps databases already loaded by a previous run
(the demo load is not what is measured).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "figures.json"
PY = sys.executable
ZHIZAO = str(Path(PY).with_name("zhizao"))
COMMAND = ["figures", "--city", "株洲市", "--year", "2021", "--json"]


def _django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    import django

    django.setup()


def worker_prepare(db_url: str, rows: int) -> None:
    """Migrate and load the demo city with ``rows`` rapid-test records (once)."""
    os.environ["ZHIZAO_RAPIDTEST_DEMO_RECORDS"] = str(rows)
    _django(db_url)
    from django.core.management import call_command

    from zhizao.rapidtest.models import TestRecord

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    if db_url.startswith("postgres"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(json.dumps({"records": TestRecord.objects.count()}))


def worker_measure(db_url: str) -> None:
    """In a warm process: the registry's computation and the count(*) baseline."""
    _django(db_url)
    from django.db import connection

    from zhizao.core import figures
    from zhizao.core.models import Region

    city = figures.find_region("株洲市")
    assert isinstance(city, Region)
    compute, count = [], []
    for _run_index in range(3):
        start = time.perf_counter()
        found = figures.compute_all(city, 2021)
        compute.append(time.perf_counter() - start)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM rapidtest_testrecord")
            (records,) = cursor.fetchone()
        count.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "compute_s": statistics.median(compute),
                "count_s": statistics.median(count),
                "records": records,
                "codes": len(found),
            }
        )
    )


def _run(args: list[str]) -> dict[str, object]:
    out = subprocess.run(
        [PY, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    parsed: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return parsed


def command_seconds(db_url: str) -> tuple[float, float, int]:
    """Median wall time and CPU time (user + system) of ``zhizao figures …`` in a new process,
    and how many codes it gave. On a shared machine the wall time includes waiting for a CPU;
    the CPU time does not."""
    env = {**os.environ, "DATABASE_URL": db_url}
    times, cpus, codes = [], [], 0
    for _run_index in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([ZHIZAO, *COMMAND], check=True, capture_output=True, env=env).stdout
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        codes = len(json.loads(out))
    return statistics.median(times), statistics.median(cpus), codes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--pg-db", default="figures_bench")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "figures-bench"))
    parser.add_argument("--reuse", action="store_true")
    options = parser.parse_args()
    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sqlite_path = workdir / f"figures-{options.rows}.sqlite3"
    urls = {
        "postgresql": f"{options.pg}/{options.pg_db}",
        "sqlite": f"sqlite:///{sqlite_path}",
    }
    result: dict[str, object] = {"rows": options.rows}
    import psycopg

    with psycopg.connect(f"{options.pg}/postgres", autocommit=True) as admin:
        known = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [options.pg_db]
        ).fetchone()
        if known is None:
            admin.execute(f'CREATE DATABASE "{options.pg_db}"')
    for vendor, url in urls.items():
        loaded = False
        if options.reuse:
            try:
                loaded = _run(["measure", url])["records"] == options.rows
            except subprocess.CalledProcessError:
                loaded = False
        if not loaded:
            if vendor == "postgresql":
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute("DROP SCHEMA public CASCADE")
                    conn.execute("CREATE SCHEMA public")
            else:
                sqlite_path.unlink(missing_ok=True)
            prepared = _run(["prepare", url, str(options.rows)])
            assert prepared["records"] == options.rows, prepared
        measured = _run(["measure", url])
        seconds, cpu, codes = command_seconds(url)
        result[f"figures_s_{vendor}"] = round(seconds, 3)
        result[f"figures_cpu_s_{vendor}"] = round(cpu, 3)
        result[f"figures_compute_s_{vendor}"] = round(float(str(measured["compute_s"])), 3)
        result[f"count_s_{vendor}"] = round(float(str(measured["count_s"])), 4)
        result["codes"] = codes
    result["target_s"] = 2.0
    result["cpus"] = os.cpu_count()
    result["load_average_1m"] = round(os.getloadavg()[0], 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    workers = {
        "prepare": lambda a: worker_prepare(a[0], int(a[1])),
        "measure": lambda a: worker_measure(a[0]),
    }
    if len(sys.argv) > 1 and sys.argv[1] in workers:
        workers[sys.argv[1]](sys.argv[2:])
    else:
        main()
