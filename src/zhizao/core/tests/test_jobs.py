"""Background jobs (core.jobs): who may start one, that it runs once after commit, that a failing
job shows its error instead of losing it, and the job list's query count."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhizao.core import jobs
from zhizao.core.choices import JobState
from zhizao.core.models import Job
from zhizao.core.testing import assert_list_queries, run_queued_tasks

pytestmark = pytest.mark.django_db

ran_jobs: list[int] = []


def _work(job, progress):
    ran_jobs.append(job.pk)
    progress(read=3, written=3)
    if job.params.get("boom"):
        raise RuntimeError("secret detail")
    return jobs.Outcome(summary={"lines": ["three rows"]})


@pytest.fixture
def kind():
    code = "test.kind"
    jobs.register(
        jobs.JobKind(code, "Test job", lambda user, params: user.role == "bureau_staff", _work)
    )
    ran_jobs.clear()
    yield code
    jobs.KINDS.pop(code)


def test_only_who_the_kind_allows_may_start_it(personas, kind):
    for name in ("alice", "tester", "committee"):
        with pytest.raises(PermissionDenied):
            jobs.start_job(getattr(personas, name), kind, {})
    assert not Job.objects.exists()


def test_a_job_runs_once_after_commit_as_its_owner(
    personas, kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = jobs.start_job(personas.officer, kind, {})
    assert len(queued) == 1  # enqueued only when the transaction commits
    assert job.history.latest().history_user == personas.officer
    queued[0]()
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert (job.state, job.rows_read, job.rows_written) == (JobState.DONE, 3, 3)
    assert job.finished_at is not None
    assert jobs.execute(job.pk) == JobState.DONE  # a repeated task runs nothing
    assert ran_jobs == [job.pk]


def test_a_failing_job_shows_its_error_without_the_details(
    client, personas, kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(personas.officer, kind, {"boom": True, "language": "en"})
    run_queued_tasks()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.errors == [
        {
            "row": "",
            "column": "",
            "message": "The job stopped with an unexpected error (RuntimeError).",
        }
    ]
    client.force_login(personas.officer)
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert b"RuntimeError" in page.content
    assert b"secret detail" not in page.content


def test_the_job_list_shows_the_users_jobs_in_a_bounded_number_of_queries(client, personas, kind):
    for _index in range(12):
        Job.objects.create(kind=kind, owner=personas.officer)
    Job.objects.create(kind=kind, owner=personas.district_officer)
    client.force_login(personas.officer)
    response = assert_list_queries(
        client, reverse("core:job_list"), rows=12, max_queries=6, shows=["Test job"]
    )
    assert len(response.context["page"].object_list) == 12
