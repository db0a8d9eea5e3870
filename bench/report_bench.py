"""Annual report benchmark -> bench/results/report.json.

The 2021 report of the demo city (default 1.1 million rapid-test records and the other demo
data), rendered from snapshots, in a warm process:
- ``report_html_s``, ``report_pdf_s``, ``report_docx_s``: wall time of building the report from
  its snapshots (the 2021 one and those it compares with, taken beforehand, as a published
  report has them) and rendering it (charts included), the median of ``--runs``; target < 10 s;
  ``report_*_cpu_s``: the CPU time of the same (which waiting for a CPU on a busy machine does
  not inflate);
- ``records``: the rapid-test records (test results, ``rapidtest.TestRecord``) the demo holds,
  ``rapidtest_demo_batches`` the batches it was asked for (``--rows``);
- ``dashboard_p50_ms``: the p50 over HTTP of ``/dashboard/`` against the production server
  (``zhizao serve``), or ``null`` when that URL does not resolve on the branch measured (the
  public dashboard is another branch's work).

The demo is loaded once into a cached SQLite database, ``var/report_bench.sqlite3`` (``--db``);
later runs reuse it (the load is not what is measured).

Usage: python bench/report_bench.py [--rows 1100000] [--runs 3] [--db var/report_bench.sqlite3]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "report.json"
PY = sys.executable
ZHIZAO = str(Path(PY).with_name("zhizao"))
TARGET_S = 10.0


def _env(db: Path, rows: int) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{db}"
    env["ZHIZAO_RAPIDTEST_DEMO_RECORDS"] = str(rows)
    env.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    return env


def prepare(db: Path, rows: int) -> None:
    env = _env(db, rows)
    fresh = not db.exists()
    db.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([ZHIZAO, "migrate", "-v0"], check=True, env=env)
    if fresh:
        subprocess.run([ZHIZAO, "demo", "-v0"], check=True, env=env, stdout=subprocess.DEVNULL)


def worker(runs: int) -> None:
    """In the benchmark's own process (DATABASE_URL set): snapshots, then the three renders."""
    import django

    django.setup()
    from zhizao.core import figures
    from zhizao.core.actors import system_actor
    from zhizao.core.models import Region
    from zhizao.rapidtest.models import TestRecord
    from zhizao.reports import annual, charts, rendering, services

    city = figures.find_region("株洲市")
    assert isinstance(city, Region)
    snapshot = services.report_snapshot(system_actor(), city, 2021)
    for year in range(2017, 2021):
        annual.comparison_snapshot(city, year)
    charts.cjk_font_path()  # Matplotlib's font list, built once per installation
    out: dict[str, object] = {"snapshot": snapshot.pk}
    for fmt in ("html", "pdf", "docx"):
        times, cpu, size = [], [], 0
        for _run in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            report = services.build_report(snapshot, "zh-hans")
            size = len(rendering.render(report, fmt))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        out[f"report_{fmt}_s"] = round(statistics.median(times), 3)
        out[f"report_{fmt}_cpu_s"] = round(statistics.median(cpu), 3)
        out[f"report_{fmt}_bytes"] = size
    out["records"] = TestRecord.objects.count()
    out["rapidtest_demo_batches"] = int(os.environ["ZHIZAO_RAPIDTEST_DEMO_RECORDS"])
    from django.urls import Resolver404, resolve

    try:
        resolve("/dashboard/")
        out["dashboard_resolves"] = True
    except Resolver404:
        out["dashboard_resolves"] = False
    print(json.dumps(out))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dashboard_p50(env: dict[str, str], requests: int = 50) -> float:
    port = _free_port()
    server = subprocess.Popen(
        [ZHIZAO, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/dashboard/"
    try:
        for _attempt in range(120):
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        times = []
        for _request in range(requests):
            start = time.perf_counter()
            urllib.request.urlopen(url, timeout=30).read()
            times.append((time.perf_counter() - start) * 1000)
        return round(statistics.median(times), 1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "report_bench.sqlite3")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.runs)
        return
    db = args.db.resolve()
    prepare(db, args.rows)
    env = _env(db, args.rows)
    done = subprocess.run(
        [PY, __file__, "--worker", "--runs", str(args.runs)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    resolves = measured.pop("dashboard_resolves")
    result = {
        **measured,
        "dashboard_p50_ms": dashboard_p50(env) if resolves else None,
        "dashboard_note": None
        if resolves
        else "/dashboard/ does not resolve on this branch (the public dashboard is h22's)",
        "target_s": TARGET_S,
        "runs": args.runs,
        "database": "sqlite",
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
