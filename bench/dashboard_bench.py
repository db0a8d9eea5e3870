"""Public dashboard benchmark -> bench/results/dashboard.json.

The dashboard page over HTTP against the production server (``zhizao serve``: gunicorn,
whitenoise, ``ZHIZAO_ENV=production``, hashed static files) on PostgreSQL, with the demo city
loaded (default 1.1 million rapid-test records) and its 2017–2021 figures published
(``zhizao snapshot --publish``, and 天元区's 2021):

- ``dashboard_p50_ms`` / ``dashboard_p95_ms``: ``GET /dashboard/`` (the city, latest published
  year), ``--requests`` sequential requests after a warm-up; the target is p50 under 100 ms;
- ``district_p50_ms``: ``GET /dashboard/430211/``; ``series_json_p50_ms``: the open-data
  series of the city (``/api/v1/open/series?region=430200``);
- the baseline in the same run, ``healthz_p50_ms``: ``GET /healthz`` through the same server
  (a request that does next to nothing), and ``dashboard_ratio`` = dashboard p50 / healthz p50;
- ``records``: the rapid-test records in the database.

Usage: python bench/dashboard_bench.py [--rows 1100000] [--pg postgres://postgres@127.0.0.1:5432]
       [--pg-db dashboard_bench] [--reuse] [--requests 200] [--port 8765]
``--reuse`` keeps a database already loaded by a previous run (the demo load and the snapshots
are not what is measured).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "dashboard.json"
ZHIZAO = str(Path(sys.executable).with_name("zhizao"))
YEARS = ("2017", "2018", "2019", "2020", "2021")
TARGET_MS = 100.0


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([ZHIZAO, *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def _load(env: dict[str, str], rows: int) -> None:
    _run(env, "migrate", "-v0")
    _run({**env, "ZHIZAO_RAPIDTEST_DEMO_RECORDS": str(rows)}, "demo")


def _publish(env: dict[str, str]) -> None:
    years = [arg for year in YEARS for arg in ("--year", year)]
    _run(env, "snapshot", "--city", "430200", *years, "--publish")
    _run(env, "snapshot", "--city", "430211", "--year", "2021", "--publish")


def _published(env: dict[str, str]) -> bool:
    code = (
        "from zhizao.reports.models import Publication;"
        "print(Publication.objects.filter(region__code='430200', year=2021).exists())"
    )
    return _run(env, "shell", "--no-imports", "-c", code).strip() == "True"


def _records(env: dict[str, str]) -> int:
    code = "from zhizao.rapidtest.models import TestRecord; print(TestRecord.objects.count())"
    return int(_run(env, "shell", "--no-imports", "-c", code).strip())


def _get_ms(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return (time.perf_counter() - start) * 1000


def _times(url: str, count: int, warm: int = 10) -> list[float]:
    for _ in range(warm):
        _get_ms(url)
    return [_get_ms(url) for _ in range(count)]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _get_ms(url)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-db", default="dashboard_bench")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="zhizao-dashboard-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"{options.pg}/{options.pg_db}",
        "ZHIZAO_DATA_DIR": str(data),
        "ZHIZAO_ENV": "production",
        "ZHIZAO_SECRET_KEY": secrets.token_urlsafe(64),
        "ZHIZAO_ALLOWED_HOSTS": "127.0.0.1",
        "ZHIZAO_SSL_REDIRECT": "0",
        "ZHIZAO_HSTS_SECONDS": "0",
    }
    if not options.reuse:
        subprocess.run(
            ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", options.pg_db]
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", options.pg_db], check=True)
        _load(env, options.rows)
    if not options.reuse or not _published(env):
        _publish(env)
    records = _records(env)
    _run(env, "collectstatic", "--noinput", "-v0")

    base = f"http://127.0.0.1:{options.port}"
    server = subprocess.Popen(
        [ZHIZAO, "serve", "--no-task-worker", "--port", str(options.port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"{base}/healthz")
        healthz = _times(f"{base}/healthz", options.requests)
        dashboard = _times(f"{base}/dashboard/", options.requests)
        district = _times(f"{base}/dashboard/430211/", options.requests // 2)
        series = _times(f"{base}/api/v1/open/series?region=430200", options.requests // 4)
    finally:
        server.terminate()
        server.wait(timeout=30)

    def p(values: list[float], q: int) -> float:
        return round(statistics.quantiles(values, n=100)[q - 1], 1)

    result = {
        "records": records,
        "requests": options.requests,
        "dashboard_p50_ms": round(statistics.median(dashboard), 1),
        "dashboard_p95_ms": p(dashboard, 95),
        "district_p50_ms": round(statistics.median(district), 1),
        "series_json_p50_ms": round(statistics.median(series), 1),
        "healthz_p50_ms": round(statistics.median(healthz), 1),
        "dashboard_ratio": round(statistics.median(dashboard) / statistics.median(healthz), 2),
        "target_ms": TARGET_MS,
        "published_years": list(YEARS),
        "server": "zhizao serve (gunicorn, 2 workers), ZHIZAO_ENV=production, PostgreSQL",
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
