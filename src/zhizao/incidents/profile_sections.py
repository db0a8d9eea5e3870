"""The incidents section of the enterprise profile (private): the quality-safety incidents the
organization is party to, as ``Incident.objects.visible_to`` lets the user see them. The public
sees incidents only as counts per domain (``/incidents/``), never by organization."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.incidents.models import Incident, IncidentParty


def _incidents(organization: Organization, user: AnyUser) -> list[Row]:
    parties = (
        IncidentParty.objects.filter(
            organization=organization,
            incident__in=Incident.objects.visible_to(user),
        )
        .select_related("incident")
        .order_by("-incident__occurred_on", "-incident__pk")
    )
    return [
        {
            "occurred_on": party.incident.occurred_on.isoformat(),
            "title": party.incident.title,
            "domain": str(party.incident.get_domain_display()),
            "grade": str(
                party.incident.get_grade_display() or party.incident.get_suggested_grade_display()
            ),
            "role": str(party.get_role_display()),
            "status": str(party.incident.get_status_display()),
            "synthetic": party.incident.is_synthetic,
        }
        for party in parties
    ]


register(
    Section(
        "incidents",
        _("Quality-safety incidents"),
        150,
        private=True,
        columns=(
            ("occurred_on", _("occurred on")),
            ("title", _("title")),
            ("domain", _("domain")),
            ("grade", _("grade")),
            ("role", _("role")),
            ("status", _("status")),
        ),
        rows=_incidents,
        app="incidents",
    )
)
