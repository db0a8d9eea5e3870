"""The quality-infrastructure sections of the enterprise profile.

- Public (as the registers page shows them): technical committees whose secretariat the
  organization holds, standardization pilot projects it undertakes and standard-setting awards
  it won.
- Private: its standardization reward grants (money of the fund ledger, read through
  ``funds.permissions.grants_visible_to``, with the registry's reason) and its one-stop service
  requests (``ServiceRequest.objects.visible_to``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.funds.permissions import grants_visible_to
from zhizao.nqi.models import (
    RewardGrant,
    ServiceRequest,
    StandardAward,
    StandardizationPilot,
    TechnicalCommittee,
)


def _registers(organization: Organization, user: AnyUser) -> list[Row]:
    rows: list[Row] = []
    for committee in TechnicalCommittee.objects.filter(secretariat=organization).order_by("number"):
        rows.append(
            {
                "record": str(_("Technical committee secretariat")),
                "name": f"{committee.number} {committee.name}",
                "level": str(committee.get_level_display()),
                "date": committee.established_on.isoformat() if committee.established_on else "",
                "status": "",
                "synthetic": committee.is_synthetic,
            }
        )
    for pilot in StandardizationPilot.objects.filter(organization=organization).order_by(
        "-starts_on"
    ):
        rows.append(
            {
                "record": str(_("Standardization pilot project")),
                "name": pilot.name,
                "level": str(pilot.get_level_display()),
                "date": pilot.starts_on.isoformat(),
                "status": str(pilot.get_status_display()),
                "synthetic": pilot.is_synthetic,
            }
        )
    for award in StandardAward.objects.filter(recipient=organization).order_by("-year"):
        rows.append(
            {
                "record": str(award.get_kind_display()),
                "name": award.title,
                "level": str(award.get_level_display()),
                "date": str(award.year),
                "status": str(award.get_grade_display()),
                "synthetic": award.is_synthetic,
            }
        )
    return rows


def _rewards(organization: Organization, user: AnyUser) -> list[Row]:
    rewards = (
        RewardGrant.objects.filter(
            ledger_grant__in=grants_visible_to(user).filter(organization=organization)
        )
        .select_related("ledger_grant__programme", "standard", "pilot")
        .order_by("-ledger_grant__granted_on", "pk")
    )
    return [
        {
            "paid_on": reward.ledger_grant.granted_on.isoformat(),
            "programme": reward.ledger_grant.programme.name,
            "amount": str(reward.ledger_grant.amount),
            "reason": reward.reason,
            "for": reward.standard.code
            if reward.standard is not None
            else (reward.pilot.name if reward.pilot is not None else ""),
            "synthetic": reward.is_synthetic,
        }
        for reward in rewards
    ]


def _requests(organization: Organization, user: AnyUser) -> list[Row]:
    requests = (
        ServiceRequest.objects.visible_to(user)
        .filter(enterprise=organization)
        .select_related("provider", "offering")
        .order_by("-filed_at", "-pk")
    )
    return [
        {
            "filed": request.filed_at.date().isoformat(),
            "request": request.text[:120],
            "provider": request.provider.name if request.provider is not None else "",
            "status": str(request.get_status_display()),
            "rating": request.rating if request.rating is not None else "",
            "synthetic": request.is_synthetic,
        }
        for request in requests
    ]


register(
    Section(
        "quality_infrastructure",
        _("Quality infrastructure"),
        35,
        private=False,
        columns=(
            ("record", _("record")),
            ("name", _("name")),
            ("level", _("level")),
            ("date", _("date")),
            ("status", _("status")),
        ),
        rows=_registers,
        app="nqi",
    ),
    Section(
        "standardization_rewards",
        _("Standardization rewards"),
        125,
        private=True,
        columns=(
            ("paid_on", _("paid on")),
            ("programme", _("fund programme")),
            ("amount", _("amount (yuan)")),
            ("reason", _("reason")),
            ("for", _("standard or pilot project")),
        ),
        rows=_rewards,
        app="nqi",
    ),
    Section(
        "onestop_requests",
        _("One-stop service requests"),
        135,
        private=True,
        columns=(
            ("filed", _("filed")),
            ("request", _("request")),
            ("provider", _("provider")),
            ("status", _("status")),
            ("rating", _("rating")),
        ),
        rows=_requests,
        app="nqi",
    ),
)
