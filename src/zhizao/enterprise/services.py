"""Every change of the enterprise records: permission-checked against the object, atomic,
locked where it checks then acts, and audited (``acting_as``). Imports of attendance are
all-or-nothing: every row is checked first, errors name the row and the field."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.models import Organization, Person, User
from zhizao.core.uploads import check_pdf_upload
from zhizao.enterprise import permissions
from zhizao.enterprise.choices import (
    HUNDRED,
    JUMP_FACTOR,
    MATERIAL_MAX_BYTES,
    ParticipantRole,
    PerformanceStatus,
)
from zhizao.enterprise.models import (
    PERFORMANCE_VALUES,
    ChiefQualityOfficer,
    EnterprisePerformance,
    EventMaterial,
    EventParticipation,
    QualityEvent,
)
from zhizao.indicators import performance as formulas


def _allow(actor: User, allowed: bool, message: str) -> None:
    if not (allowed or is_system_actor(actor)):
        raise PermissionDenied(message)


def _save(instance: Any) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:  # a concurrent writer won the race for a unique value
        raise ValidationError(_("This record duplicates an existing one.")) from error


# --- Chief quality officers ------------------------------------------------------------------


def register_officer(
    actor: User,
    organization: Organization,
    *,
    person_name: str = "",
    person: Person | None = None,
    appointed_on: dt.date,
    certificate_number: str = "",
    certificate_valid_until: dt.date | None = None,
    is_synthetic: bool = False,
) -> ChiefQualityOfficer:
    """Register a chief quality officer of ``organization``: a person of it (given, or named
    and created): its own enterprise users or bureau staff of its region."""
    _allow(
        actor,
        permissions.can_register_officer(actor, organization),
        _(
            "Only the organization's own users or bureau staff of its region may register its "
            "chief quality officer."
        ),
    )
    if person is not None and person.organization_id != organization.pk:
        raise ValidationError({"person": [_("The officer must be a person of the organization.")]})
    if person is None and not person_name.strip():
        raise ValidationError({"person_name": [_("Give the officer's name.")]})
    with transaction.atomic(), acting_as(actor):
        if person is None:
            person = Person(
                name=person_name.strip(),
                organization=organization,
                is_synthetic=is_synthetic,
                title=str(_("Chief quality officer")),
            )
            person.full_clean()
            person.save()
        officer = ChiefQualityOfficer(
            person=person,
            organization=organization,
            appointed_on=appointed_on,
            certificate_number=certificate_number.strip(),
            certificate_valid_until=certificate_valid_until,
            is_synthetic=is_synthetic,
            created_by=actor,
        )
        officer.full_clean(exclude=["created_by"])
        _save(officer)
    return officer


def end_officer(
    actor: User, officer: ChiefQualityOfficer, ended_on: dt.date
) -> ChiefQualityOfficer:
    _allow(
        actor,
        permissions.can_register_officer(actor, officer.organization),
        _(
            "Only the organization's own users or bureau staff of its region may change its "
            "chief quality officer."
        ),
    )
    with transaction.atomic(), acting_as(actor):
        locked = ChiefQualityOfficer.objects.select_for_update().get(pk=officer.pk)
        if locked.ended_on is not None:
            raise ValidationError(_("This appointment has already ended."))
        locked.ended_on = ended_on
        locked.full_clean(exclude=["created_by"])
        locked.save(update_fields=["ended_on"])
    return locked


# --- Quality events ----------------------------------------------------------------------------

EVENT_FIELDS = frozenset(
    {
        "kind",
        "topic",
        "organizer",
        "region",
        "held_on",
        "place",
        "trainers",
        "feedback",
        "trains_officers",
        "is_synthetic",
    }
)


def record_event(actor: User, data: Mapping[str, Any]) -> QualityEvent:
    """Record a quality event of a region: bureau staff of that region."""
    unknown = set(data) - EVENT_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    event = QualityEvent(**data, created_by=actor)
    allowed = permissions.can_record_event(actor) and (
        event.region_id is None or permissions.can_record_event(actor, event)
    )
    _allow(actor, allowed, _("Only bureau staff of the event's region may record it."))
    event.full_clean(exclude=["created_by"])
    with transaction.atomic(), acting_as(actor):
        event.save()
    return event


@dataclass(frozen=True)
class AttendanceRow:
    organization: Organization | str  # the organization or its unified social credit code
    person_name: str = ""
    attended: bool = True
    role: str = ParticipantRole.PARTICIPANT


def _resolve_rows(rows: Sequence[AttendanceRow]) -> list[tuple[Organization, AttendanceRow]]:
    """Every row's organization, or a ValidationError naming every bad row (row: field: why)."""
    codes = {row.organization for row in rows if isinstance(row.organization, str)}
    known = {org.credit_code: org for org in Organization.objects.filter(credit_code__in=codes)}
    resolved: list[tuple[Organization, AttendanceRow]] = []
    errors: list[str] = []
    seen: set[tuple[int, str]] = set()
    for number, row in enumerate(rows, start=1):
        organization = (
            row.organization
            if isinstance(row.organization, Organization)
            else known.get(row.organization.strip().upper())
        )
        if organization is None:
            errors.append(
                _("Row %(row)d: organization: no organization has the credit code “%(code)s”.")
                % {"row": number, "code": row.organization}
            )
            continue
        if row.role not in ParticipantRole.values:
            errors.append(_("Row %(row)d: role: choose participant or trainer.") % {"row": number})
            continue
        key = (organization.pk, row.person_name.strip())
        if key in seen:
            errors.append(
                _("Row %(row)d: person: %(name)s of %(org)s is listed twice.")
                % {"row": number, "name": row.person_name or "—", "org": organization.name}
            )
            continue
        seen.add(key)
        resolved.append((organization, row))
    if errors:
        raise ValidationError({"rows": errors})
    return resolved


def record_attendance(
    actor: User, event: QualityEvent, rows: Sequence[AttendanceRow], *, is_synthetic: bool = False
) -> list[EventParticipation]:
    """Record who was invited and who attended (all rows or none): staff of the event's region.
    A participant already recorded is updated (attended or not, role)."""
    _allow(
        actor,
        permissions.can_record_event(actor, event),
        _("Only bureau staff of the event's region may record its attendance."),
    )
    resolved = _resolve_rows(rows)
    recorded = []
    with transaction.atomic(), acting_as(actor):
        QualityEvent.objects.select_for_update().get(pk=event.pk)
        for organization, row in resolved:
            participation, _created = EventParticipation.objects.get_or_create(
                event=event,
                organization=organization,
                person_name=row.person_name.strip(),
                defaults={"role": row.role, "attended": row.attended, "is_synthetic": is_synthetic},
            )
            if not _created and (participation.attended, participation.role) != (
                row.attended,
                row.role,
            ):
                participation.attended = row.attended
                participation.role = row.role
                participation.save(update_fields=["attended", "role"])
            recorded.append(participation)
    return recorded


def add_event_material(
    actor: User, event: QualityEvent, upload: UploadedFile[bytes]
) -> EventMaterial:
    _allow(
        actor,
        permissions.can_record_event(actor, event),
        _("Only bureau staff of the event's region may add its materials."),
    )
    content = check_pdf_upload(upload, max_bytes=MATERIAL_MAX_BYTES)
    material = EventMaterial(
        event=event,
        original_name=(upload.name or "material.pdf")[-200:],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    with transaction.atomic(), acting_as(actor):
        material.file.save("material.pdf", upload, save=False)
        material.save()
    return material


def organization_events(organization: Organization) -> list[EventParticipation]:
    """An organization's history of participation, newest first."""
    return list(
        EventParticipation.objects.filter(organization=organization)
        .select_related("event")
        .order_by("-event__held_on", "event__pk", "person_name")
    )


# --- Yearly performance ------------------------------------------------------------------------


class NeedsConfirmation(ValidationError):
    """A report refused until the reporter confirms its checks; ``checks`` maps each check's
    code (to pass in ``confirm``) to its reason."""

    def __init__(self, checks: Mapping[str, str]) -> None:
        super().__init__({"confirm": list(checks.values())})
        self.checks = dict(checks)


PERCENT_FIELDS = ("first_pass_yield",)
INTEGER_FIELDS = ("complaints", "patents_valid", "patents_invention", "patents_overseas")
JUMP_FIELDS = ("output", "orders", "shipments", "revenue", "output_value")


def _decimal(value: object, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float | bool):
        errors.setdefault(field, []).append(_("Give the value as a decimal text, not a float."))
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors.setdefault(field, []).append(_("“%(value)s” is not a number.") % {"value": value})
        return None
    if not number.is_finite():
        errors.setdefault(field, []).append(_("Give a finite number."))
        return None
    return number


def performance_checks(
    organization: Organization, year: int, values: Mapping[str, Decimal | None]
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The errors (refused whatever the reporter says) and the checks that ask for
    confirmation (``check code`` → reason) of one year's values."""
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        if value is not None and value < 0:
            errors.setdefault(field, []).append(_("A negative value cannot be reported."))
    for field in PERCENT_FIELDS:
        value = values.get(field)
        if value is not None and value > HUNDRED:
            errors.setdefault(field, []).append(_("A percentage cannot be over 100."))
    checks: dict[str, str] = {}
    previous = EnterprisePerformance.objects.filter(
        organization=organization, year=year - 1
    ).first()
    if previous is not None:
        for field in JUMP_FIELDS:
            before, now = getattr(previous, field), values.get(field)
            if before is None or now is None:
                continue
            ratio = formulas.jump_ratios([float(before), float(now)])[1]
            if ratio == ratio and (ratio > JUMP_FACTOR or ratio * JUMP_FACTOR < 1):  # not NaN
                checks[f"jump:{field}"] = _(
                    "%(field)s changed from %(before)s to %(now)s, more than 10× in a year: "
                    "confirm it is right."
                ) % {"field": field, "before": before, "now": now}
    return errors, checks


def report_performance(
    actor: User,
    organization: Organization,
    year: int,
    values: Mapping[str, Any],
    *,
    confirm: Iterable[str] = (),
    is_synthetic: bool = False,
) -> EnterprisePerformance:
    """Report (or correct) one year of ``organization``'s performance. The enterprise's report
    waits for staff review; staff of its region (or the system) enter reviewed values. A
    check that asks for confirmation refuses the report until its code is in ``confirm``."""
    _allow(
        actor,
        permissions.can_report_performance(actor, organization),
        _(
            "Only the organization's own users or bureau staff of its region may report its "
            "performance."
        ),
    )
    unknown = set(values) - set(PERFORMANCE_VALUES) - {"output_unit"}
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    parsed = {
        field: _decimal(values.get(field), field, errors)
        for field in PERFORMANCE_VALUES
        if field in values
    }
    for field in INTEGER_FIELDS:
        value = parsed.get(field)
        if value is not None and value != value.to_integral_value():
            errors.setdefault(field, []).append(_("Give a whole number."))
        elif value is not None:
            parsed[field] = Decimal(int(value))
    if errors:
        raise ValidationError(errors)
    refused, checks = performance_checks(organization, year, parsed)
    if refused:
        raise ValidationError(refused)
    unconfirmed = {code: why for code, why in checks.items() if code not in set(confirm)}
    if unconfirmed:
        raise NeedsConfirmation(unconfirmed)
    staff_entry = permissions.is_regional_staff(actor, organization) or is_system_actor(actor)
    with transaction.atomic(), acting_as(actor):
        row = (
            EnterprisePerformance.objects.select_for_update()
            .filter(organization=organization, year=year)
            .first()
        ) or EnterprisePerformance(organization=organization, year=year)
        if row.status == PerformanceStatus.REVIEWED and not staff_entry:
            raise ValidationError(
                _("This year has been reviewed; ask bureau staff of your region to change it.")
            )
        for field, value in parsed.items():
            setattr(row, field, value)
        if "output_unit" in values:
            row.output_unit = str(values["output_unit"])[:16]
        row.confirmed_checks = sorted(checks)
        row.reported_by = actor
        row.is_synthetic = is_synthetic
        if staff_entry:
            row.status = PerformanceStatus.REVIEWED
            row.reviewed_by, row.reviewed_at = actor, timezone.now()
        else:
            row.status = PerformanceStatus.REPORTED
            row.reviewed_by, row.reviewed_at = None, None
        row.full_clean(exclude=["reported_by", "reviewed_by"])
        _save(row)
    return row


def review_performance(
    actor: User, row: EnterprisePerformance, *, accept: bool, note: str = ""
) -> EnterprisePerformance:
    """Staff of the organization's region accept a report or return it for correction."""
    _allow(
        actor,
        permissions.is_regional_staff(actor, row.organization),
        _("Only bureau staff of the organization's region may review its performance."),
    )
    if not accept and not note.strip():
        raise ValidationError({"note": [_("Say what to correct.")]})
    with transaction.atomic(), acting_as(actor):
        locked = EnterprisePerformance.objects.select_for_update().get(pk=row.pk)
        if locked.status != PerformanceStatus.REPORTED:
            raise ValidationError(_("Only a report awaiting review is reviewed."))
        locked.status = PerformanceStatus.REVIEWED if accept else PerformanceStatus.RETURNED
        locked.review_note = note.strip()
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.save()
    return locked


@dataclass(frozen=True)
class Change:
    metric: str
    year: int
    base_year: int
    current: float
    base: float
    percent: float | None  # rounded to 2 places (GB/T 8170)


CHANGE_METRICS = (
    "output",
    "orders",
    "shipments",
    "revenue",
    "output_value",
    "unit_quality_loss_cost",
    "patents_valid",
)


def performance_series(rows: Sequence[EnterprisePerformance]) -> dict[str, dict[int, float]]:
    """Each metric's values by year, with the unit quality-loss cost computed by the engine."""
    ordered = sorted(rows, key=lambda row: row.year)
    series: dict[str, dict[int, float]] = {metric: {} for metric in CHANGE_METRICS}
    for metric in CHANGE_METRICS:
        if metric == "unit_quality_loss_cost":
            continue
        for row in ordered:
            value = getattr(row, metric)
            if value is not None:
                series[metric][row.year] = float(value)
    nan = float("nan")
    costs = formulas.unit_quality_loss_cost(
        [float(r.internal_loss_cost) if r.internal_loss_cost is not None else nan for r in ordered],
        [float(r.external_loss_cost) if r.external_loss_cost is not None else nan for r in ordered],
        [float(r.output_value) if r.output_value is not None else nan for r in ordered],
    )
    for row, cost in zip(ordered, costs, strict=True):
        if cost == cost:
            series["unit_quality_loss_cost"][row.year] = float(cost)
    return series


def performance_changes(
    rows: Sequence[EnterprisePerformance], *, years: Iterable[int] = (1, 5)
) -> list[Change]:
    """Year-on-year (1) and N-year changes of every metric with both values recorded, from
    the engine (``rates.n_year_change``)."""
    from zhizao.indicators.errors import InsufficientDataError
    from zhizao.indicators.rates import n_year_change

    changes = []
    for metric, values in performance_series(rows).items():
        for year in sorted(values):
            for span in years:
                try:
                    change = n_year_change(values, year, span)
                except InsufficientDataError:
                    continue
                changes.append(
                    Change(
                        metric,
                        year,
                        year - span,
                        change.current,
                        change.base,
                        change.percent_rounded(2),
                    )
                )
    return changes


ABSENT_WORDS = frozenset({"absent", "缺席", "未到"})


def parse_attendance(text: str) -> list[AttendanceRow]:
    """Lines of ``credit code, person name, absent`` (the last two optional) as rows; a line
    with more than three parts is refused, naming its row."""
    rows: list[AttendanceRow] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [part.strip() for part in line.replace("，", ",").split(",")]
        if not any(parts):
            continue
        if len(parts) > 3:
            errors.append(
                _("Row %(row)d: give at most a credit code, a name and “absent”.") % {"row": number}
            )
            continue
        code, name, flag = [*parts, "", ""][:3]
        if flag and flag.lower() not in ABSENT_WORDS:
            errors.append(
                _("Row %(row)d: attended: write “absent” or nothing, not “%(flag)s”.")
                % {"row": number, "flag": flag}
            )
            continue
        rows.append(AttendanceRow(organization=code, person_name=name, attended=not flag))
    if errors:
        raise ValidationError({"rows": errors})
    if not rows:
        raise ValidationError({"rows": [_("List at least one participant.")]})
    return rows
