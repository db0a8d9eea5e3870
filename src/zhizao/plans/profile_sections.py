"""The plans section of the profile (private), for government departments only: the plan
tasks a department leads or supports and the submissions of its data sets, as
``Task.objects.visible_to`` and ``Submission.objects.visible_to`` let the user see them. An
enterprise has no plan records, so its profile has no such rows."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import OrganizationKind
from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.plans.models import Submission, Task


def _department_work(organization: Organization, user: AnyUser) -> list[Row]:
    if organization.kind != OrganizationKind.GOVERNMENT:
        return []
    rows: list[Row] = []
    tasks = (
        Task.objects.visible_to(user)
        .filter(Q(lead_department=organization) | Q(supporting_departments=organization))
        .distinct()
        .order_by("deadline", "pk")
    )
    for task in tasks:
        rows.append(
            {
                "record": str(
                    _("Task led")
                    if task.lead_department_id == organization.pk
                    else _("Task supported")
                ),
                "title": task.title,
                "period": task.deadline.isoformat(),
                "status": str(task.get_status_display()),
                "synthetic": task.is_synthetic,
            }
        )
    submissions = (
        Submission.objects.visible_to(user)
        .filter(data_set__department=organization)
        .select_related("data_set")
        .order_by("-year", "data_set__name", "period")
    )
    for submission in submissions:
        rows.append(
            {
                "record": str(_("Data set submission")),
                "title": submission.data_set.name,
                "period": submission.period,
                "status": str(submission.get_status_display()),
                "synthetic": submission.data_set.is_synthetic,
            }
        )
    return rows


register(
    Section(
        "department_work",
        _("Plan tasks and submissions"),
        170,
        private=True,
        columns=(
            ("record", _("record")),
            ("title", _("title")),
            ("period", _("deadline or period")),
            ("status", _("status")),
        ),
        rows=_department_work,
        app="plans",
    )
)
