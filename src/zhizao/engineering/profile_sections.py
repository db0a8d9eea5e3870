"""The engineering section of the enterprise profile (private): the projects the organization
built, supervised or designed, with their acceptance, as ``Project.objects.visible_to`` lets the
user see them. The public sees acceptance rates only (``/engineering/``); a project's honours
(鲁班奖 and the like) are in the public honours section (registry)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.engineering.models import Project
from zhizao.enterprise.profile import Row, Section, register


def _projects(organization: Organization, user: AnyUser) -> list[Row]:
    projects = (
        Project.objects.visible_to(user)
        .filter(Q(builder=organization) | Q(supervisor=organization) | Q(designer=organization))
        .select_related("region")
        .prefetch_related("acceptances")
        .order_by("-completed_on", "-pk")
    )
    rows: list[Row] = []
    for project in projects:
        roles = [
            str(label)
            for field, label in (
                ("builder_id", _("builder")),
                ("supervisor_id", _("supervisor")),
                ("designer_id", _("designer")),
            )
            if getattr(project, field) == organization.pk
        ]
        acceptances = sorted(project.acceptances.all(), key=lambda a: a.attempt)
        last = acceptances[-1] if acceptances else None
        rows.append(
            {
                "project": project.name,
                "kind": str(project.get_kind_display()),
                "region": project.region.name,
                "role": " / ".join(roles),
                "completed_on": project.completed_on.isoformat() if project.completed_on else "",
                "accepted": ""
                if last is None
                else str(_("passed") if last.passed else _("not passed")),
                "first_pass": ""
                if not acceptances
                else str(_("yes") if acceptances[0].passed else _("no")),
                "synthetic": project.is_synthetic,
            }
        )
    return rows


register(
    Section(
        "engineering_projects",
        _("Engineering projects"),
        160,
        private=True,
        columns=(
            ("project", _("project")),
            ("kind", _("type")),
            ("region", _("district")),
            ("role", _("role")),
            ("completed_on", _("completed on")),
            ("accepted", _("acceptance")),
            ("first_pass", _("passed at the first attempt")),
        ),
        rows=_projects,
        app="engineering",
    )
)
