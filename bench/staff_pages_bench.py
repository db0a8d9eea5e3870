"""Staff pages over HTTP at the demo's 1.1 million rapid-test batches (make bench).

Writes bench/results/staff_pages.json.

Every console page a city bureau officer (``officer``) may open — enumerated from the console's
navigation registry (``core.navigation.links_for``), plus the console itself, not a hand list —
fetched over HTTP from the production server (``zhizao serve``: gunicorn, two workers) logged in
as that officer: p50 of ``--requests`` requests per page after ``--warmup`` warm-ups, one page
after another. The target (issue 20): every p50 under 100 ms.

The demo database is built once (``zhizao migrate`` + ``zhizao demo``, several minutes) and
cached: SQLite under ``var/bench/staff-demo.sqlite3`` by default, or ``--database-url`` (e.g. a
PostgreSQL database of your own, filled by the same commands when it holds no rapid-test record).

Usage: python bench/staff_pages_bench.py [--database-url URL] [--requests 15] [--warmup 3]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "staff_pages.json"
CACHE = ROOT / "var" / "bench"
OFFICER = ("officer", "zhizao-demo")

sys.path.insert(0, str(ROOT / "src"))
from zhizao.rapidtest.tests.faults import child_env, served  # noqa: E402

PAGES_SCRIPT = """
import json
from django.urls import reverse
from zhizao.core.models import User
from zhizao.core.navigation import links_for
from zhizao.rapidtest.models import TestRecord
officer = User.objects.get(username="officer")
pages = [(reverse("core:console"), "core:console")]
pages += [(link.url, link.url_name) for link in links_for(officer)]
print(json.dumps({"pages": pages, "records": TestRecord.objects.count()}))
"""


def _zhizao(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "zhizao.cli", *args],
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return done.stdout if capture else ""


def ensure_demo(database_url: str, data_dir: Path) -> None:
    """Migrate and load the full demo unless the database already holds its rapid tests."""
    env = child_env(database_url, data_dir)
    _zhizao(env, "migrate", "--noinput", "-v0")
    count = _zhizao(
        env,
        "shell",
        "-c",
        "from zhizao.rapidtest.models import TestRecord; print(TestRecord.objects.count())",
        capture=True,
    )
    if int(count.strip().splitlines()[-1]) == 0:
        print("building the demo database once (several minutes) …", flush=True)
        _zhizao(env, "demo")
    if database_url.startswith("postgres"):
        # What autovacuum does after a bulk load (the visibility map lets the indexes answer
        # alone); run here because a shared test server may have autovacuum off.
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) rapidtest_testrecord")


def login(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/accounts/login/") as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    data = urllib.parse.urlencode(
        {"username": OFFICER[0], "password": OFFICER[1], "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base}
    )
    with opener.open(request) as response:
        if "/accounts/login/" in response.geturl():
            raise RuntimeError("the officer's login failed")
    return opener


def measure(
    opener: urllib.request.OpenerDirector, url: str, requests: int, warmup: int
) -> dict[str, float | int]:
    times = []
    status = 0
    for index in range(warmup + requests):
        started = time.perf_counter()
        with opener.open(url, timeout=120) as response:
            response.read()
            status = response.status
        if index >= warmup:
            times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "status": status,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{CACHE / 'staff-demo.sqlite3'}")
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="measure only pages whose URL contains this")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    data_dir = CACHE / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_demo(args.database_url, data_dir)
    env = child_env(args.database_url, data_dir)
    listed = json.loads(_zhizao(env, "shell", "-c", PAGES_SCRIPT, capture=True).splitlines()[-1])
    pages: dict[str, dict[str, float | int | str]] = {}
    with served(args.database_url, data_dir) as base:
        opener = login(base)
        for path, name in listed["pages"]:
            if args.only and args.only not in path:
                continue
            result = measure(opener, base + path, args.requests, args.warmup)
            pages[path] = {"name": name, **result}
            print(f"{path:40} {result['p50_ms']:8.1f} ms  (HTTP {result['status']})", flush=True)
    vendor = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    worst = max(pages.values(), key=lambda page: float(page["p50_ms"]))
    report = {
        "database": vendor,
        "rapidtest_records": listed["records"],
        "requests_per_page": args.requests,
        "server": "zhizao serve (gunicorn, 2 workers), logged in as officer (city bureau staff)",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "pages": len(pages),
        "max_p50_ms": worst["p50_ms"],
        "slowest_page": worst["name"],
        **pages,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"pages {len(pages)}, max p50 {worst['p50_ms']} ms ({worst['name']}) -> {args.output}")


if __name__ == "__main__":
    main()
