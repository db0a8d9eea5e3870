"""Changes to engineering-quality records, each a service (docs/decisions/0004-service-contract.md),
and the pass rates: first-time acceptance and inspections, with Wilson intervals (the engine)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import staff_regions
from zhizao.engineering.choices import PROJECT_HONOURS, Grouping, ProjectKind
from zhizao.engineering.models import Acceptance, Inspection, Project, ProjectHonour
from zhizao.indicators.rates import PASS_RATE_DECIMALS, pass_rate
from zhizao.registry.models import Honour


def _require_staff(actor: User, region_id: int) -> None:
    if not (is_system_actor(actor) or staff_regions(actor).filter(pk=region_id).exists()):
        raise PermissionDenied(_("Only bureau staff of the project's region may do this."))


def create_project(
    actor: User,
    *,
    name: str,
    kind: str,
    region: Region,
    builder: Organization,
    supervisor: Organization | None = None,
    designer: Organization | None = None,
    investment_10k_yuan: Decimal = Decimal(0),
    started_on: dt.date | None = None,
    completed_on: dt.date | None = None,
    is_synthetic: bool = False,
) -> Project:
    _require_staff(actor, region.pk)
    if started_on and completed_on and completed_on < started_on:
        raise ValidationError({"completed_on": [_("The project cannot end before it starts.")]})
    project = Project(
        name=name,
        kind=kind,
        region=region,
        builder=builder,
        supervisor=supervisor,
        designer=designer,
        investment_10k_yuan=investment_10k_yuan,
        started_on=started_on,
        completed_on=completed_on,
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    project.full_clean()
    with transaction.atomic(), acting_as(actor):
        project.save()
    return project


def record_inspection(
    actor: User,
    project: Project,
    *,
    inspected_on: dt.date,
    inspector: str,
    passed: bool,
    findings: str = "",
) -> Inspection:
    """A quality inspection; a failed one names its findings."""
    _require_staff(actor, project.region_id)
    if not passed and not findings.strip():
        raise ValidationError({"findings": [_("Name the findings of a failed inspection.")]})
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": [_("The date is in the future.")]})
    inspection = Inspection(
        project=project,
        inspected_on=inspected_on,
        inspector=inspector,
        passed=passed,
        findings=findings.strip(),
        is_synthetic=project.is_synthetic,
    )
    inspection.full_clean()
    with transaction.atomic(), acting_as(actor):
        inspection.save()
    return inspection


def record_acceptance(
    actor: User, project: Project, *, accepted_on: dt.date, passed: bool, reasons: str = ""
) -> Acceptance:
    """A completion acceptance: the first is attempt 1; a failed one gives its reasons and the
    project is accepted again; none after it has passed."""
    _require_staff(actor, project.region_id)
    if not passed and not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons the acceptance failed.")]})
    with transaction.atomic(), acting_as(actor):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        previous = list(Acceptance.objects.filter(project=locked).order_by("attempt"))
        if any(one.passed for one in previous):
            raise ValidationError(_("This project has already passed its acceptance."))
        if previous and accepted_on < previous[-1].accepted_on:
            raise ValidationError(
                {"accepted_on": [_("A re-acceptance cannot come before the previous one.")]}
            )
        acceptance = Acceptance(
            project=locked,
            attempt=len(previous) + 1,
            accepted_on=accepted_on,
            passed=passed,
            reasons=reasons.strip(),
            is_synthetic=locked.is_synthetic,
        )
        acceptance.full_clean()
        acceptance.save()
    return acceptance


def link_honour(actor: User, project: Project, honour: Honour) -> ProjectHonour:
    """Link a Luban or Furong award in the honours registry to the project that won it."""
    _require_staff(actor, project.region_id)
    if honour.kind not in PROJECT_HONOURS:
        raise ValidationError(
            {"honour": [_("Only a Luban or Furong award is linked to a project.")]}
        )
    if honour.revoked_at is not None:
        raise ValidationError({"honour": [_("This honour is withdrawn.")]})
    if ProjectHonour.objects.filter(honour=honour).exists():
        raise ValidationError({"honour": [_("This honour is already linked to a project.")]})
    link = ProjectHonour(project=project, honour=honour)
    with transaction.atomic(), acting_as(actor):
        link.save()
    return link


# --- Rates ---------------------------------------------------------------------------------------


def first_acceptances(projects: QuerySet[Project]) -> QuerySet[Acceptance]:
    """The first acceptance of each of ``projects``: its passed flag is first-time pass."""
    return Acceptance.objects.filter(project__in=projects, attempt=1)


@dataclass(frozen=True)
class RateRow:
    key: Any
    label: str
    passed: int
    total: int
    rate: float
    low: float
    high: float


GROUPS = {
    Grouping.KIND: ("project__kind", None),
    Grouping.DISTRICT: ("project__region_id", "project__region__name"),
}


def rates(records: QuerySet[Any], grouping: str, date_field: str) -> list[RateRow]:
    """Pass rates of acceptances or inspections (``passed``) per type, district or year, with
    Wilson 95% intervals, in percent rounded per GB/T 8170."""
    if grouping == Grouping.YEAR:
        key_field, label_field = f"{date_field}__year", None
    else:
        key_field, label_field = GROUPS[Grouping(grouping)]
    fields = [key_field] + ([label_field] if label_field else [])
    out = []
    for row in (
        records.order_by()
        .values(*fields)
        .annotate(total=Count("pk"), ok=Count("pk", filter=Q(passed=True)))
        .order_by(key_field)
    ):
        computed = pass_rate(row["ok"], row["total"])
        pct, low, high = computed.percent(PASS_RATE_DECIMALS)
        key = row[key_field]
        label = (
            str(ProjectKind(key).label)
            if grouping == Grouping.KIND
            else str(row[label_field] if label_field else key)
        )
        out.append(RateRow(key, label, computed.passed, computed.total, pct, low, high))
    return out
