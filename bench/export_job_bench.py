"""Time and peak memory of the background records export (rapidtest/jobs.py), CSV and XLSX.

Prepares a SQLite database as ``rapidtest_bench.py prepare`` does (the core demo, 68 markets)
with N imported records (default 200,000), then runs each export job in a fresh process
(``core.jobs.execute``, as the worker does) and reports its time, the rows written, the file's
size and the process's peak resident memory before and after the export: an export that
streams adds about the same memory for N and 2N rows.

Usage: python bench/export_job_bench.py [--rows 200000]
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["ZHIZAO_MEDIA_ROOT"] = str(Path(db_path).parent / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    import django

    django.setup()


def worker_import(db_path: str, csv_path: str) -> None:
    _setup(db_path)
    from zhizao.core.models import User
    from zhizao.rapidtest import services
    from zhizao.rapidtest.choices import Source

    admin = User.objects.get(username="admin")
    outcome = services.import_test_records(
        admin, csv_path, file_name="export-bench.csv", source=Source.DEMO, synthetic=True
    )
    assert outcome.ok, outcome.errors[:5]
    print(json.dumps({"rows": outcome.rows}))


def worker_export(db_path: str, kind: str, filters: str) -> None:
    _setup(db_path)
    from zhizao.core import jobs
    from zhizao.core.models import Job, User
    from zhizao.rapidtest.jobs import EXPORT

    admin = User.objects.get(username="admin")
    job = jobs.start_job(
        admin, EXPORT, {"filters": json.loads(filters), "format": kind, "language": "zh-hans"}
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    state = jobs.execute(job.pk)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job = Job.objects.get(pk=job.pk)
    print(
        json.dumps(
            {
                "format": kind,
                "filters": json.loads(filters),
                "state": state,
                "rows": job.rows_written,
                "seconds": round(seconds, 2),
                "rows_per_s": round(job.rows_written / seconds),
                "file_mb": round(job.result.size / 2**20, 1),
                "peak_rss_mb_before": round(before / 1024),
                "peak_rss_mb_after": round(after / 1024),
            }
        )
    )


def worker_baseline(db_path: str) -> None:
    """The request's own CSV stream (views.record_list before the jobs) over the same records,
    written nowhere: the job's time against this is the cost of the job itself."""
    _setup(db_path)
    import csv
    import io

    from django.utils import translation

    from zhizao.core.exports import safe_row
    from zhizao.core.models import User
    from zhizao.rapidtest import permissions
    from zhizao.rapidtest.filters import readable_times, scoped_records, with_readable_times
    from zhizao.rapidtest.views import _choice_labels, _record_row

    admin = User.objects.get(username="admin")
    market_ids = list(permissions.private_markets(admin).values_list("pk", flat=True))
    queryset = readable_times(scoped_records(market_ids)).select_related(
        "market", "product", "item", "stall"
    )
    with translation.override("zh-hans"):
        labels = _choice_labels()
        start = time.perf_counter()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        rows = 0
        for record in with_readable_times(queryset.iterator(chunk_size=5000)):
            writer.writerow(safe_row(_record_row(record, labels)))
            buffer.seek(0)
            buffer.truncate()
            rows += 1
        seconds = time.perf_counter() - start
    print(json.dumps({"rows": rows, "seconds": round(seconds, 2)}))


def _run(args: list[str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="export-job-bench-"))
    db_path, csv_path = str(workdir / "bench.sqlite3"), str(workdir / "tests.csv")
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
        cwd=ROOT,
    )
    imported = _run(["import", db_path, csv_path])
    baseline = _run(["baseline", db_path])
    results = [
        _run(["export", db_path, kind, json.dumps(filters)])
        for kind, filters in (("csv", {}), ("xlsx", {}), ("csv", {"result": "fail"}))
    ]
    print(
        json.dumps(
            {
                "records": imported["rows"],
                "baseline_request_csv_s": baseline["seconds"],
                "exports": results,
                "csv_job_vs_request": round(results[0]["seconds"] / baseline["seconds"], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "import":
        worker_import(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "baseline":
        worker_baseline(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "export":
        worker_export(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
