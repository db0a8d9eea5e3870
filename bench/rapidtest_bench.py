"""Rapid-test ingest and dashboard benchmark -> bench/results/rapidtest.json.

On PostgreSQL and SQLite, in one run:
- ingest of an N-row CSV (default 1.1 million) through Zhizao's validated bulk path
  (``services.import_test_records``: pyarrow column-wise validation, COPY / executemany), with the
  peak memory (max RSS) of the ingesting process;
- the baseline the issue defines: the same records loaded raw into a table with the same columns,
  indexes and constraints as Zhizao's ``rapidtest_testrecord`` — on PostgreSQL
  ``CREATE TABLE … (LIKE rapidtest_testrecord INCLUDING ALL)`` plus the same six foreign keys
  (DEFERRABLE INITIALLY DEFERRED, to the same parent tables, in the same database) and a raw
  ``COPY … FROM STDIN (FORMAT csv)``; on SQLite the table's own DDL and indexes, foreign keys on,
  Python ``csv`` + ``executemany``. The file loaded raw holds the same rows in the table's column
  layout (ids instead of names: a raw load cannot look names up), exported untimed with
  ``COPY … TO`` / ``SELECT`` from the rows Zhizao stored. Its timing includes the commit (where
  the deferred foreign keys are checked), like Zhizao's;
- for reference, the old bare baseline: the CSV file itself into a table with the file's 14
  columns, one unique constraint and two indexes, no foreign keys (``*_bare`` keys);
- the dashboard's by-market-by-month pass-rate request over HTTP against ``zhizao serve``
  (gunicorn) on those rows: median of 50 requests after 5 warm-ups.

Usage: python bench/rapidtest_bench.py [--rows 1100000] [--pg postgres://postgres@127.0.0.1:5432]
Each database step runs in its own process (fresh Django, fresh database).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "rapidtest.json"
PY = sys.executable


def _django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    import django

    django.setup()


def worker_prepare(db_url: str, csv_path: str, rows: int) -> None:
    """Migrate, load the core demo and the 68 markets, write the CSV (if missing)."""
    _django(db_url)
    import numpy as np
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhizao.core import demo as core_demo
    from zhizao.core.models import ApiToken, User
    from zhizao.rapidtest import demo

    core_demo.load()
    rng = np.random.default_rng(demo.SEED)
    markets = demo._markets(rng)
    if not Path(csv_path).exists():
        demo._write_csv(csv_path, markets, rng, rows)
    officer = User.objects.get(username="officer")
    _token, raw = ApiToken.issue(officer, "bench")
    print(json.dumps({"token": raw}))


def worker_ingest(db_url: str, csv_path: str) -> None:
    _django(db_url)
    from zhizao.core.models import User
    from zhizao.rapidtest import services
    from zhizao.rapidtest.choices import Source

    admin = User.objects.get(username="admin")
    start = time.perf_counter()
    outcome = services.import_test_records(
        admin, csv_path, file_name="bench.csv", source=Source.DEMO, synthetic=True
    )
    seconds = time.perf_counter() - start
    assert outcome.ok, outcome.errors[:5]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rows": outcome.rows, "peak_mb": peak_mb}))


# The columns a raw load writes: Zhizao's INSERT columns (the id comes from the table's identity).
RECORD_COLUMNS = (
    "market_id, stall_id, product_id, item_id, origin, supplier, batch_kg, sampled_at, tested_at, "
    "tester_id, tester_name, instrument_id, value, passed, source, client_record_id, entered_at, "
    "import_batch_id, photo, is_synthetic"
)
NULLABLE = {"stall_id", "batch_kg", "sampled_at", "tester_id", "import_batch_id"}
BASELINE_PG = (
    "COPY into CREATE TABLE (LIKE rapidtest_testrecord INCLUDING ALL) + the same 6 deferred "
    "foreign keys (market, stall, product, item, tester, import batch), same unique constraint "
    "(market, client_record_id) and every index of the table (INCLUDING ALL), "
    "timed to commit"
)
BASELINE_SQLITE = (
    "csv.reader + executemany into rapidtest_testrecord's own DDL (same columns, 6 deferred "
    "foreign keys with PRAGMA foreign_keys=ON, unique constraint, same indexes), timed to commit"
)


def worker_raw_pg_same(db_url: str, export_path: str) -> None:
    """Raw COPY of the same rows into a table identical to rapidtest_testrecord (with its FKs)."""
    import psycopg

    with psycopg.connect(db_url) as conn:
        with (
            conn.cursor() as cursor,
            open(export_path, "wb") as handle,
            cursor.copy(
                f"COPY (SELECT {RECORD_COLUMNS} FROM rapidtest_testrecord) TO STDOUT (FORMAT csv)"
            ) as copy,
        ):
            for data in copy:
                handle.write(data)
        conn.execute("DROP TABLE IF EXISTS rt_raw")
        conn.execute("CREATE TABLE rt_raw (LIKE rapidtest_testrecord INCLUDING ALL)")
        foreign_keys = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'rapidtest_testrecord'::regclass AND contype = 'f'"
        ).fetchall()
        assert len(foreign_keys) == 6, foreign_keys
        for index, (definition,) in enumerate(foreign_keys):
            conn.execute(f"ALTER TABLE rt_raw ADD CONSTRAINT rt_raw_fk{index} {definition}")
        conn.commit()
        conn.execute("CHECKPOINT")
        start = time.perf_counter()
        sql = f"COPY rt_raw ({RECORD_COLUMNS}) FROM STDIN WITH (FORMAT csv)"
        with conn.cursor() as cursor, open(export_path, "rb") as handle, cursor.copy(sql) as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        seconds = time.perf_counter() - start
        rows = conn.execute("SELECT count(*) FROM rt_raw").fetchone()[0]  # type: ignore[index]
        conn.execute("DROP TABLE rt_raw")
        conn.commit()
    os.unlink(export_path)
    print(json.dumps({"seconds": seconds, "rows": rows}))


def worker_raw_sqlite_same(db_path: str, export_path: str) -> None:
    """Raw csv + executemany of the same rows into rapidtest_testrecord's own DDL (FKs on)."""
    import csv
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = ON")  # as Django's SQLite backend does
    with open(export_path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            conn.execute(f"SELECT {RECORD_COLUMNS} FROM rapidtest_testrecord")
        )
    conn.execute("DROP TABLE IF EXISTS rt_raw")
    (ddl,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'rapidtest_testrecord'"
    ).fetchone()
    conn.execute(ddl.replace('"rapidtest_testrecord"', '"rt_raw"', 1))
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'rapidtest_testrecord' AND sql IS NOT NULL"
    ).fetchall():
        conn.execute(
            sql.replace('"rapidtest_testrecord"', '"rt_raw"').replace(f'"{name}"', f'"rt_{name}"')
        )
    conn.commit()
    columns = [c.strip() for c in RECORD_COLUMNS.split(",")]
    values = ", ".join("NULLIF(?, '')" if c in NULLABLE else "?" for c in columns)
    start = time.perf_counter()
    with open(export_path, newline="", encoding="utf-8") as handle:
        conn.executemany(
            f"INSERT INTO rt_raw ({RECORD_COLUMNS}) VALUES ({values})", csv.reader(handle)
        )
    conn.commit()
    seconds = time.perf_counter() - start
    rows = conn.execute("SELECT count(*) FROM rt_raw").fetchone()[0]
    conn.execute("DROP TABLE rt_raw")
    conn.commit()
    conn.close()
    os.unlink(export_path)
    print(json.dumps({"seconds": seconds, "rows": rows}))


RAW_COLUMNS = (
    "record_id text NOT NULL, market_code varchar(18) NOT NULL, booth varchar(32), product text, "
    "item text, origin varchar(100), supplier varchar(200), batch_kg double precision, "
    "sampled_at {ts}, tested_at {ts} NOT NULL, tester varchar(50), instrument_id varchar(64), "
    "value text, result text, UNIQUE (market_code, record_id)"
)


def worker_raw_pg(db_url: str, csv_path: str) -> None:
    import psycopg

    with psycopg.connect(db_url) as conn:
        conn.execute("DROP TABLE IF EXISTS rt_raw")
        conn.execute(f"CREATE TABLE rt_raw ({RAW_COLUMNS.format(ts='timestamptz')})")
        conn.execute("CREATE INDEX ON rt_raw (market_code, tested_at)")
        conn.execute("CREATE INDEX ON rt_raw (tested_at)")
        conn.commit()
        start = time.perf_counter()
        sql = "COPY rt_raw FROM STDIN WITH (FORMAT csv, HEADER true)"
        with conn.cursor() as cursor, open(csv_path, "rb") as handle, cursor.copy(sql) as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        print(json.dumps({"seconds": time.perf_counter() - start}))


def worker_raw_sqlite(db_path: str, csv_path: str) -> None:
    import csv
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("DROP TABLE IF EXISTS rt_raw")
    conn.execute(f"CREATE TABLE rt_raw ({RAW_COLUMNS.format(ts='datetime')})")
    conn.execute("CREATE INDEX rt_raw_mt ON rt_raw (market_code, tested_at)")
    conn.execute("CREATE INDEX rt_raw_t ON rt_raw (tested_at)")
    conn.commit()
    start = time.perf_counter()
    with open(csv_path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.executemany(f"INSERT INTO rt_raw VALUES ({', '.join('?' * 14)})", reader)
    conn.commit()
    print(json.dumps({"seconds": time.perf_counter() - start}))
    conn.close()


def _run(args: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    out = subprocess.run(
        [PY, __file__, *args], check=True, capture_output=True, text=True, env=env, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dashboard_p50(db_url: str, token: str) -> float:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "ZHIZAO_WORKERS": "2"}
    server = subprocess.Popen(
        [str(Path(PY).parent / "zhizao"), "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/rapidtest/dashboard/market-month"
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        for _ in range(100):
            try:
                urllib.request.urlopen(request, timeout=30).read()
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(5):
            urllib.request.urlopen(request, timeout=30).read()
        timings = []
        for _ in range(50):
            start = time.perf_counter()
            body = urllib.request.urlopen(request, timeout=30).read()
            timings.append((time.perf_counter() - start) * 1000)
        assert json.loads(body)["rows"], "dashboard returned no rows"
        return statistics.median(timings)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rapidtest-bench-"))
    csv_path = str(workdir / "tests.csv")
    result: dict[str, object] = {"rows": options.rows}

    import psycopg

    with psycopg.connect(f"{options.pg}/postgres", autocommit=True) as admin:
        for name in ("rapidtest_bench", "rapidtest_bench_raw"):
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
    pg_url = f"{options.pg}/rapidtest_bench"
    sqlite_path = workdir / "bench.sqlite3"
    sqlite_url = f"sqlite:///{sqlite_path}"
    peaks = []
    export_path = str(workdir / "records.csv")
    for vendor, url in (("postgresql", pg_url), ("sqlite", sqlite_url)):
        token = _run(["prepare", url, csv_path, str(options.rows)])["token"]
        ingest = _run(["ingest", url, csv_path])
        peaks.append(ingest["peak_mb"])
        result[f"ingest_s_{vendor}"] = round(ingest["seconds"], 2)
        result[f"dashboard_p50_ms_{vendor}"] = round(dashboard_p50(url, str(token)), 2)
        if vendor == "postgresql":
            raw = _run(["raw_pg_same", pg_url, export_path])
            result["copy_s_postgresql"] = round(raw["seconds"], 2)
        else:
            raw = _run(["raw_sqlite_same", str(sqlite_path), export_path])
            result["raw_s_sqlite"] = round(raw["seconds"], 2)
        assert raw["rows"] == options.rows, raw
    result["baseline_postgresql"] = BASELINE_PG
    result["baseline_sqlite"] = BASELINE_SQLITE
    result["copy_s_postgresql_bare"] = round(
        _run(["raw_pg", f"{options.pg}/rapidtest_bench_raw", csv_path])["seconds"], 2
    )
    result["raw_s_sqlite_bare"] = round(
        _run(["raw_sqlite", str(workdir / "raw.sqlite3"), csv_path])["seconds"], 2
    )
    seconds = {k: v for k, v in result.items() if isinstance(v, float)}
    result["ingest_ratio_postgresql"] = round(
        seconds["ingest_s_postgresql"] / seconds["copy_s_postgresql"], 2
    )
    result["ingest_ratio_sqlite"] = round(seconds["ingest_s_sqlite"] / seconds["raw_s_sqlite"], 2)
    result["ingest_peak_mb"] = round(max(peaks), 1)
    result["csv_mb"] = round(Path(csv_path).stat().st_size / 1e6, 1)
    result["cpus"] = os.cpu_count()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    workers = {
        "prepare": lambda a: worker_prepare(a[0], a[1], int(a[2])),
        "ingest": lambda a: worker_ingest(a[0], a[1]),
        "raw_pg": lambda a: worker_raw_pg(a[0], a[1]),
        "raw_sqlite": lambda a: worker_raw_sqlite(a[0], a[1]),
        "raw_pg_same": lambda a: worker_raw_pg_same(a[0], a[1]),
        "raw_sqlite_same": lambda a: worker_raw_sqlite_same(a[0], a[1]),
    }
    if len(sys.argv) > 1 and sys.argv[1] in workers:
        workers[sys.argv[1]](sys.argv[2:])
    else:
        main()
