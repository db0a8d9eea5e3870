"""How long a rapid-test import holds SQLite's write lock, against the whole import's time.

SQLite has one write lock for the whole database: while an import holds it, every other writer
(an entry form, a token's ``last_used_at``) waits. This prepares a SQLite database (the core demo
and the 68 markets, as ``rapidtest_bench.py prepare`` does) and an N-row CSV (default 200,000),
then imports the CSV through ``services.import_test_records`` while a probe thread on its own
connection tries ``BEGIN IMMEDIATE`` (without waiting) every 5 ms. The lock is held while the
probe fails; the longest such stretch is the import's write transaction.

Usage: python bench/import_lock_bench.py [--rows 200000] [--src PATH]
``--src`` is the ``src`` folder of the Zhizao to measure (default this checkout's): point it at
an older checkout's to compare before and after. Prints one JSON object; the committed pair of
runs is `bench/results/import_lock.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE_SECONDS = 0.005


class LockProbe(threading.Thread):
    """Tries to take the write lock every few milliseconds; records when it could not."""

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.held: list[tuple[float, float]] = []  # stretches during which the lock was held

    def run(self) -> None:
        probe = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        since: float | None = None
        while not self.stop.is_set():
            now = time.perf_counter()
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                if since is not None:
                    self.held.append((since, now))
                    since = None
            except sqlite3.OperationalError:
                if since is None:
                    since = now
            time.sleep(PROBE_SECONDS)
        if since is not None:
            self.held.append((since, time.perf_counter()))
        probe.close()


def worker_ingest(db_path: str, csv_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    import django

    django.setup()
    from zhizao.core.models import User
    from zhizao.rapidtest import services
    from zhizao.rapidtest.choices import Source

    admin = User.objects.get(username="admin")
    probe = LockProbe(db_path)
    probe.start()
    time.sleep(0.1)
    start = time.perf_counter()
    outcome = services.import_test_records(
        admin, csv_path, file_name="lock-bench.csv", source=Source.DEMO, synthetic=True
    )
    seconds = time.perf_counter() - start
    time.sleep(0.1)
    probe.stop.set()
    probe.join()
    assert outcome.ok, outcome.errors[:5]
    stretches = [end - begin for begin, end in probe.held]
    print(
        json.dumps(
            {
                "rows": outcome.rows,
                "import_s": round(seconds, 2),
                "lock_held_longest_s": round(max(stretches, default=0.0), 2),
                "lock_held_total_s": round(sum(stretches), 2),
                "lock_share": round(max(stretches, default=0.0) / seconds, 3),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--src", default=str(ROOT / "src"))
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="import-lock-bench-"))
    db_path, csv_path = str(workdir / "bench.sqlite3"), str(workdir / "tests.csv")
    env = {**os.environ, "PYTHONPATH": options.src}
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "rapidtest_bench.py"),
            "prepare",
            f"sqlite:///{db_path}",
            csv_path,
            str(options.rows),
        ],
        check=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    out = subprocess.run(
        [sys.executable, __file__, "ingest", db_path, csv_path],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["src"] = options.src
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "ingest":
        worker_ingest(sys.argv[2], sys.argv[3])
    else:
        main()
