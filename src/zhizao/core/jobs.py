"""Background jobs: work too long for a request (a large export, a large import), run by the
task worker with its progress on a page the owner polls (docs/core.md, "Background jobs").

An app registers a :class:`JobKind` (in its ``AppConfig.ready``): who may start it, and the
function that does the work. :func:`start_job` is the service a view calls: it checks the
permission, stores the job (and its uploaded file, outside the web root) and enqueues
:func:`run_job` once the transaction commits. The worker claims the job, runs the kind's
function with a :class:`Progress` that writes the counters (rows read, validated, written) at
most every :data:`PROGRESS_SECONDS`, and stores the outcome: the result file (served by
permission through :mod:`zhizao.core.downloads`), a summary of what it holds, and every error.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from zhizao.core.actors import acting_as
from zhizao.core.choices import JobState
from zhizao.core.models import Job, User

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 0.5  # the counters are written at most this often


@dataclass
class Outcome:
    """What a job's work produced: a result file (a path on disk, moved into storage), its
    download name, a summary of what it holds, and the errors (each a mapping, shown as a row)."""

    path: str | None = None
    name: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class JobKind:
    code: str
    label: Any  # a lazy translation
    may_start: Callable[[User, Mapping[str, Any]], bool]
    work: Callable[[Job, Progress], Outcome]
    counters: tuple[str, ...] = ("read", "validated", "written")  # the ones its page shows


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    KINDS[kind.code] = kind


def kind_counters(code: str) -> tuple[str, ...]:
    kind = KINDS.get(code)
    return kind.counters if kind else ("read", "validated", "written")


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


class Progress:
    """The counters of a running job, written to its row at most every
    :data:`PROGRESS_SECONDS`, and always by :meth:`flush` (the work calls it outside its own
    transactions, so the owner's page sees each write as it happens)."""

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.values: dict[str, int] = {}
        self._last = 0.0

    def total(self, rows: int | None) -> None:
        Job.objects.filter(pk=self.job_id).update(rows_total=rows)

    def __call__(
        self, read: int | None = None, validated: int | None = None, written: int | None = None
    ) -> None:
        for name, value in (("read", read), ("validated", validated), ("written", written)):
            if value is not None:
                self.values[f"rows_{name}"] = value
        now = time.monotonic()
        if now - self._last >= PROGRESS_SECONDS:
            self.flush()
            self._last = now

    def flush(self) -> None:
        if self.values:
            Job.objects.filter(pk=self.job_id).update(**self.values)


def start_job(
    actor: User,
    kind: str,
    params: Mapping[str, Any],
    *,
    source: File[Any] | None = None,
    rows_total: int | None = None,
) -> Job:
    """Queue a job of ``kind`` for ``actor`` (who must be allowed to start it); the worker runs
    it once this transaction commits. ``source``: an uploaded file the job reads, stored
    outside the web root until the job is done."""
    job_kind = KINDS.get(kind)
    if job_kind is None:
        raise ValueError(f"unknown job kind {kind!r}")
    if not getattr(actor, "is_authenticated", False) or not job_kind.may_start(actor, params):
        raise PermissionDenied(_("You may not start this job."))
    with transaction.atomic(), acting_as(actor):
        job = Job(kind=kind, owner=actor, params=dict(params), rows_total=rows_total)
        if source is not None:
            job.source.save(getattr(source, "name", None) or "upload", source, save=False)
        job.save()
        transaction.on_commit(partial(run_job.enqueue, job.pk), robust=True)
    return job


def _claim(job_id: int) -> Job | None:
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    return Job.objects.select_related("owner").get(pk=job_id) if claimed else None


def _finish(job: Job, outcome: Outcome) -> None:
    from zhizao.core.actors import system_actor

    with transaction.atomic(), acting_as(system_actor()):
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if outcome.path:
            with open(outcome.path, "rb") as handle:
                locked.result.save(outcome.name, File(handle), save=False)
            os.unlink(outcome.path)
            locked.result_name = outcome.name
        locked.summary = outcome.summary
        locked.errors = outcome.errors
        locked.state = JobState.FAILED if outcome.errors else JobState.DONE
        locked.finished_at = timezone.now()
        if locked.source:
            locked.source.delete(save=False)  # the upload is not kept once it is read
        locked._change_reason = locked.state  # type: ignore[attr-defined]
        locked.save()


def execute(job_id: int) -> str:
    """Run one queued job (the task's body); returns its final state. A job already claimed
    (a repeated task) is left alone."""
    job = _claim(job_id)
    if job is None:
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or ""
    progress = Progress(job)
    language = str(job.params.get("language") or job.owner.language or "zh-hans")
    try:
        with translation.override(language):
            outcome = KINDS[job.kind].work(job, progress)
    except Exception as error:  # a job's failure is shown to its owner, not lost in a log
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        with translation.override(language):
            message = _("The job stopped with an unexpected error (%(error)s).") % {
                "error": type(error).__name__
            }
        outcome = Outcome(errors=[{"row": "", "column": "", "message": message}])
    progress.flush()
    _finish(job, outcome)
    return Job.objects.filter(pk=job_id).values_list("state", flat=True).get()


@task()
def run_job(job_id: int) -> str:
    return execute(job_id)
