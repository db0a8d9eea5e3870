"""Issue 19, "Data in and out": large exports and uploads run as background jobs (core.jobs)
with progress, a download or every error, and say what they hold. Real CSV and XLSX files are
written and read back; the thresholds are lowered so that a few records are "large"."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhizao.core.choices import JobState
from zhizao.core.jobs import Progress
from zhizao.core.models import Job
from zhizao.core.testing import run_queued_tasks
from zhizao.rapidtest import jobs as rapidtest_jobs
from zhizao.rapidtest import services
from zhizao.rapidtest.models import TestRecord
from zhizao.rapidtest.tests.test_import import write_csv

pytestmark = pytest.mark.django_db


def _rows(count, *, fail_every=3, start=0):
    rows = []
    for index in range(start, start + count):
        failed = index % fail_every == 0
        rows.append(
            [
                f"bg-{index}",
                "",
                "A01",
                "青菜",
                "有机磷和氨基甲酸酯类农药残留",
                "长沙",
                "甲批发",
                "20",
                "",
                f"2024-05-{1 + index % 28:02d} 07:30",
                "李四",
                "D-1",
                "63.0" if failed else "12.3",
                "不合格" if failed else "合格",
            ]
        )
    return rows


@pytest.fixture
def records(rt):
    outcome = services.import_test_records(rt.p.tester, write_csv(_rows(20)), file_name="a.csv")
    assert outcome.ok, outcome.errors[:3]
    return TestRecord.objects.filter(market=rt.market)


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(rapidtest_jobs, "EXPORT_SYNC_MAX_ROWS", 5)
    monkeypatch.setattr(rapidtest_jobs, "IMPORT_SYNC_MAX_ROWS", 5)
    monkeypatch.setattr(rapidtest_jobs, "XLSX_SHEET_ROWS", 3)
    monkeypatch.setattr(rapidtest_jobs, "PROGRESS_EVERY", 1)


def _run(client, django_capture_on_commit_callbacks, url, data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:300]
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.state == JobState.QUEUED
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    return job


def test_a_large_csv_export_runs_in_the_background_and_says_what_it_holds(
    client, rt, records, small_limits, django_capture_on_commit_callbacks
):
    client.force_login(rt.p.tester)
    failed = records.filter(passed=False).count()
    assert failed > 5  # over the (lowered) threshold
    url = reverse("rapidtest:records") + "?result=fail"
    job = _run(client, django_capture_on_commit_callbacks, url, {"export": "csv"})
    assert job.state == JobState.DONE, job.errors
    assert (job.rows_total, job.rows_read, job.rows_written) == (failed, failed, failed)
    assert job.params["filters"] == {"result": "fail"}
    assert "Result: Fail" in job.summary["lines"][1]
    assert f"Records: {failed}" in job.summary["lines"]
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert b"Result: Fail" in page.content
    assert b"job-download" in page.content
    assert b"hx-trigger" not in page.content  # finished: the page stops polling
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel on Chinese Windows needs
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "ID"
    assert len(rows) == failed + 1
    assert {row[7] for row in rows[1:]} == {"Fail"}
    assert {int(row[0]) for row in rows[1:]} == set(
        records.filter(passed=False).values_list("pk", flat=True)
    )


def test_a_large_xlsx_export_is_split_into_sheets_with_an_about_sheet(
    client, rt, records, small_limits, django_capture_on_commit_callbacks
):
    client.force_login(rt.p.tester)
    job = _run(
        client, django_capture_on_commit_callbacks, reverse("rapidtest:records"), {"export": "xlsx"}
    )
    assert job.state == JobState.DONE, job.errors
    assert job.result_name.endswith("-20.xlsx")
    download = client.get(reverse("core:job_download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    names = workbook.sheetnames
    assert names[0] == "About this file"
    assert names[1:] == [f"Records {n}" for n in range(1, 8)]  # 20 records, 3 a sheet
    about = [row[0] for row in workbook[names[0]].iter_rows(values_only=True)]
    assert "Filters: none (every record)" in about
    assert "Records: 20" in about
    assert "In 7 sheets of at most 3 records each." in about
    data = []
    for name in names[1:]:
        rows = list(workbook[name].iter_rows(values_only=True))
        assert rows[0][0] == "ID"
        assert 1 <= len(rows) - 1 <= 3
        data.extend(rows[1:])
    assert sorted(row[0] for row in data) == sorted(records.values_list("pk", flat=True))


def test_a_small_export_stays_in_the_request_and_a_get_starts_no_job(
    client, rt, records, small_limits
):
    client.force_login(rt.p.tester)
    url = reverse("rapidtest:records")
    small = client.post(f"{url}?ids={records.first().pk}", {"export": "csv"})
    assert small.status_code == 200
    assert small["Content-Type"].startswith("text/csv")
    large = client.get(f"{url}?export=xlsx")
    assert large.status_code == 302
    assert "export" not in large["Location"]
    assert not Job.objects.exists()  # a GET changes nothing


def test_another_users_job_is_not_found(client, rt, records, small_limits):
    client.force_login(rt.p.tester)
    client.post(reverse("rapidtest:records"), {"export": "csv"})
    job = Job.objects.get()
    client.force_login(rt.p.officer)
    for name in ("core:job_detail", "core:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_large_upload_is_imported_in_the_background_with_its_counters(
    client, rt, small_limits, django_capture_on_commit_callbacks
):
    client.force_login(rt.p.tester)
    upload = write_csv(_rows(12))
    upload.name = "big.csv"
    job = _run(
        client, django_capture_on_commit_callbacks, reverse("rapidtest:upload"), {"file": upload}
    )
    assert job.state == JobState.DONE, job.errors
    assert (job.rows_total, job.rows_read, job.rows_validated, job.rows_written) == (12, 12, 12, 12)
    assert TestRecord.objects.filter(market=rt.market).count() == 12
    assert not job.source  # the upload is not kept
    assert "Imported 12 rows." in job.summary["lines"]


def test_a_large_upload_with_bad_rows_saves_nothing_and_lists_every_error(
    client, rt, small_limits, django_capture_on_commit_callbacks
):
    client.force_login(rt.p.tester)
    rows = _rows(12)
    rows[3][3] = "不存在的产品"
    rows[9][9] = "明天"
    upload = write_csv(rows)
    upload.name = "bad.csv"
    job = _run(
        client, django_capture_on_commit_callbacks, reverse("rapidtest:upload"), {"file": upload}
    )
    assert job.state == JobState.FAILED
    assert [(error["row"], error["column"]) for error in job.errors] == [
        (5, "product"),
        (11, "tested_at"),
    ]
    assert job.rows_written == 0
    assert not TestRecord.objects.exists()  # all or nothing
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert page.content.count(b"<tr><td>") == 2
    assert b"nothing was saved" in page.content


def test_the_import_tells_its_progress_block_by_block(rt, monkeypatch):
    from zhizao.rapidtest.importing import readers

    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 1 << 10)  # a few rows a block
    calls = []
    outcome = services.import_test_records(
        rt.p.tester, write_csv(_rows(40)), progress=lambda **counts: calls.append(counts)
    )
    assert outcome.ok
    reads = [call["read"] for call in calls]
    assert reads == sorted(reads)
    assert len(set(reads)) > 3
    assert all(call["validated"] <= call["read"] for call in calls)
    assert calls[-1] == {"read": 40, "validated": 40, "written": 40}


def test_progress_writes_at_most_twice_a_second(rt, monkeypatch):
    job = Job.objects.create(kind=rapidtest_jobs.EXPORT, owner=rt.p.tester)
    clock = iter([100.0, 100.1, 100.2, 100.7])
    monkeypatch.setattr("zhizao.core.jobs.time.monotonic", lambda: next(clock))
    progress = Progress(job)
    seen = []
    for read in (1, 2, 3, 4):
        progress(read=read)
        seen.append(Job.objects.get(pk=job.pk).rows_read)
    assert seen == [1, 1, 1, 4]


def test_the_upload_size_is_estimated_without_parsing_the_file(rt):
    from zhizao.rapidtest.tests.test_import import write_xlsx

    csv_file = write_csv(_rows(30))
    assert rapidtest_jobs.estimate_rows(csv_file, "a.csv") == 30
    assert csv_file.tell() == 0  # left at its start for the import
    big = write_csv(_rows(20_000))  # a few MB: read a megabyte at a time, stopped early
    counted = rapidtest_jobs.estimate_rows(big, "a.csv", stop_after=5)
    assert counted is not None
    assert 5 < counted < 20_000
    assert rapidtest_jobs.estimate_rows(write_xlsx(_rows(30)), "a.xlsx") == 30
    assert rapidtest_jobs.estimate_rows(io.BytesIO(b"PK\x03\x04 broken"), "a.xlsx") == 0
