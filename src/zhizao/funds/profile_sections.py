"""The fund ledger's section of the enterprise profile (private: applications and grants)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.funds.permissions import applications_visible_to, grants_visible_to


def _funds(organization: Organization, user: AnyUser) -> list[Row]:
    rows: list[Row] = []
    applications = (
        applications_visible_to(user)
        .filter(organization=organization)
        .select_related("programme", "grant")
        .order_by("-programme__year", "pk")
    )
    for application in applications:
        grant = getattr(application, "grant", None)
        rows.append(
            {
                "year": application.programme.year,
                "programme": application.programme.name,
                "project": application.project,
                "asked": str(application.amount_requested),
                "granted": str(grant.amount) if grant else "",
                "paid": str(grant.paid_total) if grant else "",
                "status": str(application.get_status_display()),
                "synthetic": application.is_synthetic,
            }
        )
    bonuses = (
        grants_visible_to(user)
        .filter(organization=organization, application__isnull=True)
        .select_related("programme")
        .order_by("-granted_on")
    )
    for grant in bonuses:
        rows.append(
            {
                "year": grant.programme.year,
                "programme": grant.programme.name,
                "project": grant.note,
                "asked": "",
                "granted": str(grant.amount),
                "paid": str(grant.paid_total),
                "status": str(_("Granted")),
                "synthetic": grant.is_synthetic,
            }
        )
    return rows


register(
    Section(
        "funds",
        _("Incentive funds"),
        120,
        private=True,
        columns=(
            ("year", _("year")),
            ("programme", _("fund programme")),
            ("project", _("project")),
            ("asked", _("amount asked (yuan)")),
            ("granted", _("granted (yuan)")),
            ("paid", _("paid (yuan)")),
            ("status", _("status")),
        ),
        rows=_funds,
        app="funds",
    )
)
