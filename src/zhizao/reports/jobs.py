"""The snapshot computation as a background job (core.Job, run by the task worker), so staff
start it from a page or the nightly command and watch its progress."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhizao.core import jobs
from zhizao.core.models import Job, Region, User
from zhizao.reports import permissions
from zhizao.reports.choices import JOB_SNAPSHOT


def _may_start(user: User, params: Mapping[str, Any]) -> bool:
    region_id = params.get("region")
    region = Region.objects.filter(pk=region_id).first() if isinstance(region_id, int) else None
    return region is not None and permissions.can_manage(user, region)


def _work(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    from zhizao.reports import services

    region = Region.objects.get(pk=job.params["region"])
    snapshot = services.take_snapshot(job.owner, region, int(job.params["year"]), progress=progress)
    summary: dict[str, Any] = {"snapshot": snapshot.pk, "figures": snapshot.figures.count()}
    if job.params.get("publish"):
        services.publish(job.owner, snapshot)
        summary["published"] = True
    return jobs.Outcome(summary=summary)


def register() -> None:
    jobs.register(
        jobs.JobKind(
            code=JOB_SNAPSHOT,
            label=_("Recompute the published figures"),
            may_start=_may_start,
            work=_work,
            counters=("written",),
        )
    )
