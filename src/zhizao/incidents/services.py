"""Changes to quality-safety incidents, each a service (docs/decisions/0004-service-contract.md),
and the reads other apps use: :func:`major_incidents` (the awards' eligibility rule) and
:func:`years_without_major` (figures and the public page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.figures import in_region
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import staff_regions
from zhizao.incidents.choices import RECORDS_FROM_YEAR, THRESHOLDS, Domain, Grade, PartyRole, Status
from zhizao.incidents.models import Incident, IncidentParty, IncidentQuerySet
from zhizao.indicators.incidents import suggest_grade, years_without


def suggested_grade(
    domain: str, *, deaths: int, injured: int, affected: int, loss_10k_yuan: Decimal | float
) -> str:
    """The grade the domain's numeric criteria give (``choices.THRESHOLDS``, the engine)."""
    return suggest_grade(
        THRESHOLDS[domain],
        deaths=deaths,
        injured=injured,
        affected=affected,
        loss_10k_yuan=float(loss_10k_yuan),
    )


@dataclass(frozen=True)
class Party:
    organization: Organization
    role: str = PartyRole.RESPONSIBLE


def record_incident(
    actor: User,
    *,
    domain: str,
    title: str,
    occurred_on: dt.date,
    region: Region,
    deaths: int = 0,
    injured: int = 0,
    affected: int = 0,
    direct_loss_10k_yuan: Decimal = Decimal(0),
    summary: str = "",
    parties: Sequence[Party] = (),
    is_synthetic: bool = False,
) -> Incident:
    """Record an incident: staff of its region, or the system actor. The grade is suggested
    from the figures; staff confirm it with :func:`confirm_grade`."""
    if not (is_system_actor(actor) or staff_regions(actor).filter(pk=region.pk).exists()):
        raise PermissionDenied(_("Only bureau staff of the incident's region may record it."))
    if domain not in Domain.values:
        raise ValidationError({"domain": [_("Unknown domain.")]})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": [_("The date is in the future.")]})
    incident = Incident(
        domain=domain,
        title=title,
        occurred_on=occurred_on,
        region=region,
        deaths=deaths,
        injured=injured,
        affected=affected,
        direct_loss_10k_yuan=direct_loss_10k_yuan,
        summary=summary,
        is_synthetic=is_synthetic,
        created_by=actor,
        suggested_grade=suggested_grade(
            domain,
            deaths=deaths,
            injured=injured,
            affected=affected,
            loss_10k_yuan=direct_loss_10k_yuan,
        ),
    )
    incident.full_clean()
    organizations = [party.organization.pk for party in parties]
    if len(set(organizations)) != len(organizations):
        raise ValidationError({"parties": [_("An organization is named twice.")]})
    with transaction.atomic(), acting_as(actor):
        incident.save()
        for party in parties:
            IncidentParty(
                incident=incident, organization=party.organization, role=party.role
            ).save()
    return incident


def _locked(actor: User, incident: Incident) -> Incident:
    if not Incident.objects.editable_by(actor).filter(pk=incident.pk).exists():
        raise PermissionDenied(_("Only bureau staff of the incident's region may do this."))
    return Incident.objects.select_for_update().get(pk=incident.pk)


def confirm_grade(actor: User, incident: Incident, grade: str, reason: str = "") -> Incident:
    """Staff confirm the grade; a grade other than the suggested one needs its reason (the
    plan's qualitative criteria), which the history row keeps."""
    if grade not in Grade.values:
        raise ValidationError({"grade": [_("Unknown grade.")]})
    with transaction.atomic(), acting_as(actor):
        locked = _locked(actor, incident)
        if grade != locked.suggested_grade and not reason.strip():
            raise ValidationError(
                {"reason": [_("Give the reason for a grade other than the suggested one.")]}
            )
        locked.grade = grade
        locked.grade_confirmed_by = actor
        locked.grade_confirmed_at = timezone.now()
        if reason.strip():
            locked._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
        locked.save()
    return locked


def record_handling(actor: User, incident: Incident, text: str) -> Incident:
    if not text.strip():
        raise ValidationError({"handling": [_("Describe the handling.")]})
    with transaction.atomic(), acting_as(actor):
        locked = _locked(actor, incident)
        if locked.status == Status.CLOSED:
            raise ValidationError(_("This incident is closed."))
        locked.handling = (locked.handling + "\n" if locked.handling else "") + text.strip()
        locked.status = Status.HANDLING
        locked.save()
    return locked


def close_incident(actor: User, incident: Incident, note: str = "") -> Incident:
    """Close an incident whose grade staff have confirmed."""
    with transaction.atomic(), acting_as(actor):
        locked = _locked(actor, incident)
        if locked.status == Status.CLOSED:
            raise ValidationError(_("This incident is closed."))
        if not locked.grade:
            raise ValidationError(_("Confirm the grade before closing the incident."))
        locked.status = Status.CLOSED
        locked.closed_at = timezone.now()
        if note.strip():
            locked._change_reason = note.strip()[:100]  # type: ignore[attr-defined]
        locked.save()
    return locked


# --- Reads ---------------------------------------------------------------------------------------


def major_incidents(
    organizations: Iterable[int], since: dt.date, until: dt.date
) -> QuerySet[Incident]:
    """Major or especially major incidents (confirmed, or suggested and not yet confirmed) in
    which any of ``organizations`` took part, between ``since`` and ``until`` inclusive."""
    return (
        Incident.objects.major()
        .filter(
            parties__organization_id__in=list(organizations),
            occurred_on__gte=since,
            occurred_on__lte=until,
        )
        .distinct()
        .order_by("occurred_on")
    )


def records_between(region: Region, first: int, last: int) -> IncidentQuerySet:
    """Incidents of ``region`` and below from ``first`` to ``last`` (years, inclusive)."""
    return Incident.objects.filter(
        in_region(region, "region"), occurred_on__year__gte=first, occurred_on__year__lte=last
    )


def years_without_major(region: Region, year: int, domain: str = "") -> int:
    """Consecutive years up to ``year`` with no major incident in ``region`` (and ``domain``),
    counted back to the first year the records cover (:data:`RECORDS_FROM_YEAR`)."""
    records = records_between(region, RECORDS_FROM_YEAR, year).major()
    if domain:
        records = records.filter(domain=domain)
    years = records.values_list("occurred_on__year", flat=True).distinct()
    return years_without(list(years), year, RECORDS_FROM_YEAR)
