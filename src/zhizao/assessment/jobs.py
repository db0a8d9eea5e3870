"""The evidence pack as a background job (core.Job kind ``assessment.evidence_pack``): the
worker builds the ZIP into a temporary file, the job stores it as its result and the owner
downloads it from the job's page (permission-checked, core.downloads)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.assessment import permissions
from zhizao.assessment.choices import JOB_PACK
from zhizao.assessment.models import Assessment
from zhizao.core import jobs
from zhizao.core.models import Job, User


def _assessment(params: Mapping[str, Any]) -> Assessment | None:
    pk = params.get("assessment")
    if not isinstance(pk, int):
        return None
    return Assessment.objects.select_related("region", "template", "snapshot").filter(pk=pk).first()


def _may_start(user: User, params: Mapping[str, Any]) -> bool:
    assessment = _assessment(params)
    return assessment is not None and permissions.can_manage(user, assessment)


def _work(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    from zhizao.assessment import evidence, pack

    assessment = _assessment(job.params)
    if assessment is None:
        return jobs.Outcome(
            errors=[{"row": "", "column": "", "message": _("The assessment no longer exists.")}]
        )
    progress.total(evidence.pack_records(evidence.item_evidence(assessment)) or None)
    handle, path = tempfile.mkstemp(prefix="zhizao-pack-", suffix=".zip")
    try:
        with os.fdopen(handle, "wb") as output:
            summary = pack.build_pack(assessment, output, lambda written: progress(written=written))
    except BaseException:
        os.unlink(path)
        raise
    lines = [
        _("%(items)d items, %(figures)d figures, %(records)d records, %(documents)d documents")
        % {
            "items": summary.items,
            "figures": summary.figures,
            "records": summary.records,
            "documents": summary.documents,
        }
    ]
    return jobs.Outcome(
        path=path,
        name=pack.pack_name(assessment),
        summary={"lines": lines, "records": summary.records, "files": len(summary.files)},
    )


def register() -> None:
    jobs.register(
        jobs.JobKind(
            code=JOB_PACK,
            label=gettext_lazy("Assessment evidence pack"),
            may_start=_may_start,
            work=_work,
            counters=("written",),
        )
    )
