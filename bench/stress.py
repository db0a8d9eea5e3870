"""``make stress``: load, kills and a database restart at the issue's sizes.

Writes bench/results/stress.json.

Not part of ``make test`` (tens of minutes). Three parts, each against real processes:

1. **Load** (locust, headless, loopback only, ``--run-time`` per level): the public front page,
   the figures catalogue, the rapid-test public boards, the figures API and the instrument API
   (``bench/locustfile.py``), against the production server (``zhizao serve``: gunicorn) on
   PostgreSQL with the full demo (``zhizao demo`` into ``--database-url``, loaded once), at 50
   and 200 concurrent users: requests per second, p50/p95/p99, errors.
2. **SIGKILL during a 1-million-row import**, ``--kills`` times on a private PostgreSQL cluster
   and on SQLite (``zhizao.rapidtest.tests.faults.kill_import_runs``): partial imports counted.
3. **PostgreSQL restarted during a burst of instrument writes** on the private cluster
   (``faults.write_burst``): acknowledged and lost writes counted.

Usage: python bench/stress.py [--database-url postgres://…/zhizao_stress] [--run-time 60s]
       [--kill-batches 800000] [--kills 5] [--skip-load] [--skip-faults]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "stress.json"
CACHE = ROOT / "var" / "stress"
LEVELS = (50, 200)

sys.path.insert(0, str(ROOT / "src"))
from staff_pages_bench import ensure_demo  # noqa: E402
from zhizao.rapidtest.tests import faults  # noqa: E402

TOKEN_SCRIPT = """
import json
from zhizao.core import services
from zhizao.core.choices import Role
from zhizao.core.models import ApiToken, User
from zhizao.rapidtest.models import MarketProfile
profile = MarketProfile.objects.select_related("organization").filter(has_test_room=True).first()
user = User.objects.filter(username="stress-instrument").first() or services.create_user(
    username="stress-instrument", password=None, role=Role.MARKET_TESTER,
    organization=profile.organization)
_token, raw = ApiToken.issue(user, "stress")
print(json.dumps({"token": raw, "market": profile.organization.credit_code}))
"""


def _aggregated(prefix: Path) -> dict[str, Any]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    by_name = {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
        }
        for row in rows
        if row["Name"] != "Aggregated"
    }
    return {
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "errors": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
        "by_request": by_name,
    }


def load(database_url: str, run_time: str, workers: int) -> dict[str, Any]:
    data_dir = CACHE / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_demo(database_url, data_dir)
    env = faults.child_env(database_url, data_dir)
    made = subprocess.run(
        [sys.executable, "-m", "zhizao.cli", "shell", "-c", TOKEN_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    login = json.loads(made.stdout.strip().splitlines()[-1])
    results: dict[str, Any] = {}
    with faults.served(database_url, data_dir, workers=workers) as base:
        for users in LEVELS:
            prefix = CACHE / f"locust-{users}"
            locust_env = {
                **os.environ,
                "ZHIZAO_STRESS_TOKEN": login["token"],
                "ZHIZAO_STRESS_MARKET": login["market"],
            }
            print(f"load: {users} users for {run_time} …", flush=True)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--host",
                    base,
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(max(10, users // 5)),
                    "--run-time",
                    run_time,
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=locust_env,
                check=False,  # locust exits 1 when a request failed: the count says so
                timeout=3600,
            )
            results[str(users)] = _aggregated(prefix)
            print(
                json.dumps(
                    {users: {k: v for k, v in results[str(users)].items() if k != "by_request"}}
                ),
                flush=True,
            )
    return results


def fault_drills(kill_batches: int, kills: int, threads: int, per_thread: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="zhizao-stress-"))
    report: dict[str, Any] = {}
    try:
        with faults.private_postgres() as cluster:
            csv_path = workdir / "import.csv"
            for vendor in ("postgresql", "sqlite"):
                database = faults.Database(
                    workdir / vendor, cluster if vendor == "postgresql" else None
                )
                prepared = database.prepare_template(csv_path, kill_batches)
                print(f"kills: {vendor}, {prepared['lines']} rows …", flush=True)
                killed = faults.kill_import_runs(database, prepared, kills)
                report[vendor] = {
                    "rows": killed.rows,
                    "uninterrupted_import_seconds": killed.full_seconds,
                    "kills": killed.kills,
                    "partial_imports": killed.partial_imports,
                    "rollups_wrong": killed.rollups_wrong,
                }
                print(json.dumps(report[vendor]), flush=True)
                if vendor == "postgresql":
                    print(f"burst: {threads} × {per_thread} writes, restart …", flush=True)
                    burst = faults.write_burst(
                        database, prepared, threads=threads, per_thread=per_thread
                    )
                    report["burst"] = {
                        "sent": burst.sent,
                        "acknowledged": len(burst.acknowledged),
                        "failed": burst.failed,
                        "lost": len(burst.lost),
                        "duplicated": len(burst.duplicated),
                        "stored": burst.stored,
                        "restart_seconds": burst.restart_seconds,
                        "writes_after_restart": burst.after_restart_ok,
                    }
                    print(json.dumps(report["burst"]), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "ZHIZAO_STRESS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhizao_stress"
        ),
        help="PostgreSQL database for the load test (filled with the full demo once)",
    )
    parser.add_argument("--run-time", default="60s", help="locust run time per level")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--kill-batches", type=int, default=800_000, help="≈ 1 M rows")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--burst-threads", type=int, default=20)
    parser.add_argument("--burst-per-thread", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the load test runs on PostgreSQL (--database-url postgres://…)")
    previous = json.loads(Path(args.output).read_text()) if Path(args.output).exists() else {}
    report: dict[str, Any] = {
        **previous,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, shared; load average at start "
        f"{os.getloadavg()[0]:.2f}",
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if not args.skip_load:
        report.update(load(args.database_url, args.run_time, args.workers))
        report["load"] = {
            "run_time": args.run_time,
            "gunicorn_workers": args.workers,
            "database": "postgresql, full demo",
            "load_average_1m_after": round(os.getloadavg()[0], 2),
        }
        # Written after each part, so that a long fault run never loses the load figures.
        output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if not args.skip_faults:
        drills = fault_drills(
            args.kill_batches, args.kills, args.burst_threads, args.burst_per_thread
        )
        kill_runs = [drills[v] for v in ("postgresql", "sqlite")]
        report["kills"] = sum(len(run["kills"]) - 1 for run in kill_runs)
        report["partial_imports"] = sum(run["partial_imports"] for run in kill_runs)
        report["acknowledged_writes"] = drills["burst"]["acknowledged"]
        report["lost_writes"] = drills["burst"]["lost"]
        report["fault_drills"] = drills
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"-> {output}")


if __name__ == "__main__":
    main()
