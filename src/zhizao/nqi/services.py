"""Every change of the quality-infrastructure records goes through a function here
(decision 0004): permission-checked against the object's region or organization, validated,
atomic, locked where it checks then acts, audited through ``acting_as`` and telling people
through ``notify()`` on commit.

Registers (committees, innovation bases, pilot projects, reward grants, bodies and their
accreditations, the catalogue) are kept by bureau staff of the record's region; the demo loader
acts as the system actor. One-stop requests move through their steps by role: the enterprise
files and rates, bureau staff route, the provider accepts or declines, quotes, delivers and
closes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core import permissions
from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.choices import Role
from zhizao.core.models import Organization, Region, User
from zhizao.core.notifications import notify
from zhizao.funds import services as funds_services
from zhizao.funds.choices import ProgrammeKind
from zhizao.funds.models import FundProgramme
from zhizao.nqi import search
from zhizao.nqi.choices import (
    MSG_REQUEST_FILED,
    MSG_REQUEST_OVERDUE,
    MSG_REQUEST_ROUTED,
    MSG_REQUEST_UPDATED,
    PilotKind,
    PilotStatus,
    RequestStatus,
)
from zhizao.nqi.models import (
    Accreditation,
    InnovationBase,
    OfferingProvider,
    OneStopPilot,
    QualityBody,
    RewardGrant,
    ScopeLine,
    ServiceOffering,
    ServiceRequest,
    StandardAward,
    StandardizationPilot,
    TechnicalCommittee,
)
from zhizao.nqi.permissions import may_keep

M = TypeVar("M", bound=models.Model)

REWARD_FIELDS = frozenset(
    {"programme", "payer", "recipient", "amount", "paid_on", "reason", "reference", "standard",
     "pilot", "is_synthetic"}
)  # fmt: skip


def _check_keeper(actor: User, region: Region | None) -> None:
    if not may_keep(actor, region):
        raise PermissionDenied(_("Only bureau staff of this record's region may change it."))


def _create(actor: User, model: type[M], data: Mapping[str, Any], region_of: Any) -> M:
    record = model(**data)
    _check_keeper(actor, region_of(record))
    record.full_clean()
    with transaction.atomic(), acting_as(actor):
        record.save()
    return record


def _update(actor: User, record: M, data: Mapping[str, Any], region_of: Any) -> M:
    """Change a register record: the actor must keep its region before and after the change;
    the row is locked while it is checked and saved."""
    model = type(record)
    with transaction.atomic(), acting_as(actor):
        locked = model._default_manager.select_for_update().get(pk=record.pk)
        _check_keeper(actor, region_of(locked))  # as stored, not as a form may have changed it
        for field, value in data.items():
            setattr(locked, field, value)
        _check_keeper(actor, region_of(locked))
        locked.full_clean()
        locked.save()
    return locked


def create_committee(actor: User, data: Mapping[str, Any]) -> TechnicalCommittee:
    """Register a technical committee whose secretariat is in the actor's region."""
    return _create(actor, TechnicalCommittee, data, lambda c: c.secretariat.region)


def update_committee(
    actor: User, committee: TechnicalCommittee, data: Mapping[str, Any]
) -> TechnicalCommittee:
    return _update(actor, committee, data, lambda c: c.secretariat.region)


def create_innovation_base(actor: User, data: Mapping[str, Any]) -> InnovationBase:
    return _create(actor, InnovationBase, data, lambda b: b.region)


def update_innovation_base(
    actor: User, base: InnovationBase, data: Mapping[str, Any]
) -> InnovationBase:
    return _update(actor, base, data, lambda b: b.region)


def create_pilot(actor: User, data: Mapping[str, Any]) -> StandardizationPilot:
    """Register a standardization pilot project, under way."""
    data = {**data, "status": PilotStatus.UNDER_WAY, "accepted_on": None}
    data.pop("acceptance_score", None)
    return _create(actor, StandardizationPilot, data, lambda p: p.region)


def update_pilot(
    actor: User, pilot: StandardizationPilot, data: Mapping[str, Any]
) -> StandardizationPilot:
    """Change a pilot project's particulars (not its assessment: ``accept_pilot``)."""
    data = {k: v for k, v in data.items() if k not in ("status", "accepted_on", "acceptance_score")}
    return _update(actor, pilot, data, lambda p: p.region)


def accept_pilot(
    actor: User,
    pilot: StandardizationPilot,
    *,
    on: dt.date,
    score: Decimal,
    passed: bool = True,
) -> StandardizationPilot:
    """Record a pilot project's acceptance assessment: completed (passed) or not accepted."""
    _check_keeper(actor, pilot.region)
    with transaction.atomic(), acting_as(actor):
        locked = StandardizationPilot.objects.select_for_update().get(pk=pilot.pk)
        if locked.status != PilotStatus.UNDER_WAY:
            raise ValidationError({"status": _("This pilot project has already been assessed.")})
        if on < locked.starts_on:
            raise ValidationError(
                {"accepted_on": _("The acceptance cannot be before the project starts.")}
            )
        locked.status = PilotStatus.COMPLETED if passed else PilotStatus.FAILED
        locked.accepted_on = on
        locked.acceptance_score = score
        locked.full_clean()
        locked.save()
    return locked


def _reward_programme(data: Mapping[str, Any]) -> FundProgramme:
    programme = data.get("programme")
    if programme is not None:
        if programme.kind != ProgrammeKind.STANDARDIZATION_REWARD:
            raise ValidationError(
                {"programme": _("Choose a standardization reward programme of the fund ledger.")}
            )
        return programme  # type: ignore[no-any-return]
    payer, paid_on = data.get("payer"), data.get("paid_on")
    if payer is None or paid_on is None:
        raise ValidationError(
            {"programme": _("Choose the fund programme the reward is paid from.")}
        )
    found = (
        FundProgramme.objects.filter(
            kind=ProgrammeKind.STANDARDIZATION_REWARD, region=payer, year=paid_on.year
        )
        .order_by("pk")
        .first()
    )
    if found is None:
        raise ValidationError(
            {
                "programme": _(
                    "%(payer)s has no standardization reward programme for %(year)d in the fund "
                    "ledger; open it there first."
                )
                % {"payer": payer, "year": paid_on.year}
            }
        )
    return found


def record_reward_grant(actor: User, data: Mapping[str, Any]) -> RewardGrant:
    """Record a standardization reward paid to ``recipient``, in the fund ledger: a grant of
    the programme (``programme``, or the payer's standardization-reward programme of the
    payment's year) and its payment, through ``funds.services``, and the registry's reason for
    it (standard, pilot project). Staff administering the programme for the recipient's region;
    amounts are exact decimals; a grant is never edited."""
    unknown = set(data) - REWARD_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    amount = data.get("amount")
    if isinstance(amount, float):
        raise ValidationError({"amount": _("Give the amount as an exact decimal, not a float.")})
    programme = _reward_programme(data)
    _check_keeper(actor, programme.region)
    paid_on = data.get("paid_on")
    if paid_on is None:
        raise ValidationError({"paid_on": _("Give the date it was paid.")})
    is_synthetic = bool(data.get("is_synthetic", False))
    detail = RewardGrant(
        reason=str(data.get("reason", "")).strip(),
        standard=data.get("standard"),
        pilot=data.get("pilot"),
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    detail.full_clean(exclude=["ledger_grant"])
    with transaction.atomic(), acting_as(actor):
        grant = funds_services.record_grant(
            actor,
            programme,
            data["recipient"],
            amount,
            paid_on,
            note=detail.reason,
            is_synthetic=is_synthetic,
        )
        detail.ledger_grant = grant
        detail.save()
        reference = str(data.get("reference") or "").strip()
        funds_services.record_payment(
            actor,
            grant,
            grant.amount,
            paid_on,
            reference or f"NQI-RG-{detail.pk}",
            is_synthetic=is_synthetic,
        )
    return detail


def record_standard_award(actor: User, data: Mapping[str, Any]) -> StandardAward:
    """Record a standard-setting award won by an organization (staff of its region)."""
    return _create(actor, StandardAward, data, lambda a: a.recipient.region)


def register_quality_body(actor: User, data: Mapping[str, Any]) -> QualityBody:
    return _create(actor, QualityBody, data, lambda b: b.organization.region)


def add_accreditation(
    actor: User, body: QualityBody, data: Mapping[str, Any], scope: Sequence[Mapping[str, str]]
) -> Accreditation:
    """Record an accreditation and its scope lines (all or nothing: a scope line whose
    standard code cannot be parsed refuses the whole accreditation, naming the line)."""
    _check_keeper(actor, body.organization.region)
    accreditation = Accreditation(body=body, **data)
    accreditation.full_clean()
    lines = []
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(scope, start=1):
        line = ScopeLine(accreditation=accreditation, **row)
        try:
            line.full_clean(exclude=["accreditation"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(f"scope.{index}.{field}", []).extend(messages)
        lines.append(line)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        accreditation.save()
        for line in lines:
            line.accreditation = accreditation
            line.save()
    return accreditation


def create_offering(
    actor: User, data: Mapping[str, Any], providers: Sequence[Mapping[str, Any]]
) -> ServiceOffering:
    """Add a service to the one-stop catalogue with its providers (price range, promised
    turnaround) and index its words for the search."""
    city = Region.objects.city()
    if not may_keep(actor, city):
        raise PermissionDenied(_("Only city bureau staff keep the one-stop catalogue."))
    offering = ServiceOffering(**data)
    offering.full_clean()
    rows = [OfferingProvider(offering=offering, **row) for row in providers]
    if not rows:
        raise ValidationError({"providers": [_("Name at least one provider.")]})
    for index, row in enumerate(rows, start=1):
        if row.price_max < row.price_min:
            raise ValidationError(
                {f"providers.{index}.price_max": [_("The price range is upside down.")]}
            )
    with transaction.atomic(), acting_as(actor):
        offering.save()
        for row in rows:
            row.offering = offering
            row.full_clean()
            row.save()
        search.index_offering(offering)
    return offering


# --- One-stop requests -----------------------------------------------------------------------


def staff_of(organization: Organization) -> list[User]:
    """Active bureau staff whose region contains the organization."""
    path = organization.region.path
    return [
        user
        for user in User.objects.filter(
            role=Role.BUREAU_STAFF, is_active=True, region__isnull=False
        ).select_related("region")
        if user.region is not None and path.startswith(user.region.path)
    ]


def users_of(organization: Organization | None) -> QuerySet[User]:
    if organization is None:
        return User.objects.none()
    return User.objects.filter(organization=organization, is_active=True)


def pilot_of(enterprise: Organization) -> OneStopPilot | None:
    """The pilot an enterprise's request counts in: its zone (park) first, else its chain."""
    zone = OneStopPilot.objects.filter(kind=PilotKind.ZONE, region_id=enterprise.region_id).first()
    if zone is not None:
        return zone
    if enterprise.industry_chain:
        return OneStopPilot.objects.filter(
            kind=PilotKind.CHAIN, industry_chain=enterprise.industry_chain
        ).first()
    return None


def _link(request: ServiceRequest) -> str:
    return reverse("nqi:request", kwargs={"pk": request.pk})


def _tell(recipients: Any, code: str, request: ServiceRequest) -> None:
    notify(
        recipients,
        code,
        {
            "number": request.pk,
            "enterprise": request.enterprise.name,
            "status": request.get_status_display(),
            "text": request.text[:80],
        },
        link=_link(request),
    )


def file_request(
    actor: User,
    text: str,
    *,
    offering: ServiceOffering | None = None,
    now: dt.datetime | None = None,
    is_synthetic: bool = False,
) -> ServiceRequest:
    """An enterprise user files a request in plain words (optionally naming the service they
    picked from the ranked catalogue); staff of the enterprise's region are told."""
    enterprise_id = permissions.own_organization_id(actor)
    if getattr(actor, "role", "") != Role.ENTERPRISE or enterprise_id is None:
        raise PermissionDenied(_("Only an enterprise's users file one-stop requests."))
    if not text.strip():
        raise ValidationError({"text": [_("Say what you need in a sentence or two.")]})
    enterprise = Organization.objects.select_related("region").get(pk=enterprise_id)
    request = ServiceRequest(
        enterprise=enterprise,
        filed_by=actor,
        text=text.strip(),
        offering=offering,
        pilot=pilot_of(enterprise),
        filed_at=now or timezone.now(),
        is_synthetic=is_synthetic,
    )
    request.full_clean()
    with transaction.atomic(), acting_as(actor):
        request.save()
        _tell(staff_of(enterprise), MSG_REQUEST_FILED, request)
    return request


def _locked(request: ServiceRequest, *allowed: str) -> ServiceRequest:
    locked = (
        ServiceRequest.objects.select_for_update()
        .select_related("enterprise", "enterprise__region")
        .get(pk=request.pk)
    )
    if locked.status not in allowed:
        raise ValidationError(
            {
                "status": _("This request is %(status)s: that step is not open.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def route_request(
    actor: User,
    request: ServiceRequest,
    offering: ServiceOffering,
    provider: Organization,
    *,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Bureau staff of the enterprise's region route a request to one provider of a service."""
    _check_keeper(actor, request.enterprise.region)
    offer = OfferingProvider.objects.filter(offering=offering, provider=provider).first()
    if offer is None:
        raise ValidationError({"provider": [_("This provider does not offer that service.")]})
    with transaction.atomic(), acting_as(actor):
        locked = _locked(request, RequestStatus.FILED, RequestStatus.DECLINED)
        locked.offering = offering
        locked.provider = provider
        locked.promised_days = offer.promised_days
        locked.status = RequestStatus.ROUTED
        locked.routed_at = now or timezone.now()
        locked.decline_reason = ""
        locked.save()
        _tell(users_of(provider), MSG_REQUEST_ROUTED, locked)
    return locked


def _check_provider(actor: User, request: ServiceRequest) -> None:
    if is_system_actor(actor):
        return
    if (
        getattr(actor, "role", "") != Role.SERVICE_PROVIDER
        or request.provider_id is None
        or permissions.own_organization_id(actor) != request.provider_id
    ):
        raise PermissionDenied(_("Only the provider this request is routed to may do this."))


def _provider_step(
    actor: User,
    request: ServiceRequest,
    allowed: tuple[str, ...],
    status: str,
    stamp: str,
    now: dt.datetime | None,
    **changes: Any,
) -> ServiceRequest:
    _check_provider(actor, request)
    with transaction.atomic(), acting_as(actor):
        locked = _locked(request, *allowed)
        if locked.provider_id != request.provider_id:  # re-routed meanwhile
            raise PermissionDenied(_("Only the provider this request is routed to may do this."))
        moment = now or timezone.now()
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.status = status
        setattr(locked, stamp, moment)
        if status == RequestStatus.ACCEPTED and locked.promised_days:
            locked.due_at = moment + dt.timedelta(days=locked.promised_days)
        locked.full_clean()
        locked.save()
        if status == RequestStatus.DECLINED:
            _tell(staff_of(locked.enterprise), MSG_REQUEST_UPDATED, locked)
        _tell(users_of(locked.enterprise), MSG_REQUEST_UPDATED, locked)
    return locked


def accept_request(
    actor: User, request: ServiceRequest, *, now: dt.datetime | None = None
) -> ServiceRequest:
    """The provider takes the request on: its promised turnaround starts now."""
    return _provider_step(
        actor, request, (RequestStatus.ROUTED,), RequestStatus.ACCEPTED, "accepted_at", now
    )


def decline_request(
    actor: User, request: ServiceRequest, reason: str, *, now: dt.datetime | None = None
) -> ServiceRequest:
    """The provider declines; staff are told and may route the request elsewhere."""
    if not reason.strip():
        raise ValidationError({"decline_reason": [_("Say why the request is declined.")]})
    return _provider_step(
        actor,
        request,
        (RequestStatus.ROUTED,),
        RequestStatus.DECLINED,
        "declined_at",
        now,
        decline_reason=reason.strip()[:300],
    )


def quote_request(
    actor: User, request: ServiceRequest, amount: Decimal, *, now: dt.datetime | None = None
) -> ServiceRequest:
    if not isinstance(amount, Decimal) or amount <= 0:
        raise ValidationError({"quote_amount": [_("Quote a positive amount in yuan.")]})
    return _provider_step(
        actor,
        request,
        (RequestStatus.ACCEPTED,),
        RequestStatus.QUOTED,
        "quoted_at",
        now,
        quote_amount=amount,
    )


def deliver_request(
    actor: User, request: ServiceRequest, documents: str, *, now: dt.datetime | None = None
) -> ServiceRequest:
    if not documents.strip():
        raise ValidationError({"documents": [_("Name the delivered reports or certificates.")]})
    return _provider_step(
        actor,
        request,
        (RequestStatus.QUOTED,),
        RequestStatus.DELIVERED,
        "delivered_at",
        now,
        documents=documents.strip(),
    )


def close_request(
    actor: User, request: ServiceRequest, *, now: dt.datetime | None = None
) -> ServiceRequest:
    return _provider_step(
        actor, request, (RequestStatus.DELIVERED,), RequestStatus.CLOSED, "closed_at", now
    )


def rate_request(
    actor: User,
    request: ServiceRequest,
    rating: int,
    comment: str = "",
    *,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """The enterprise accepts the delivery and rates it (1–5, with a comment)."""
    if is_system_actor(actor):
        pass
    elif (
        getattr(actor, "role", "") != Role.ENTERPRISE
        or permissions.own_organization_id(actor) != request.enterprise_id
    ):
        raise PermissionDenied(_("Only the enterprise that filed the request may rate it."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
    with transaction.atomic(), acting_as(actor):
        locked = _locked(request, RequestStatus.CLOSED)
        locked.rating = rating
        locked.comment = comment.strip()[:500]
        locked.status = RequestStatus.RATED
        locked.rated_at = now or timezone.now()
        locked.save()
        if locked.provider is not None:
            _tell(users_of(locked.provider), MSG_REQUEST_UPDATED, locked)
    return locked


def flag_overdue_requests(actor: User, *, today: dt.date | None = None) -> int:
    """Flag accepted requests past their promised turnaround and tell the enterprise's staff,
    once a day (``zhizao onestop_overdue``, run daily). Returns how many were flagged."""
    if not is_system_actor(actor) and not permissions.is_staff_user(actor):
        raise PermissionDenied(_("Only bureau staff or the system flag overdue requests."))
    today = today or timezone.localdate()
    moment = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    flagged = 0
    with transaction.atomic(), acting_as(actor):
        overdue = (
            ServiceRequest.objects.select_for_update()
            .filter(
                status__in=(RequestStatus.ACCEPTED, RequestStatus.QUOTED),
                delivered_at__isnull=True,
                due_at__lt=moment,
            )
            .exclude(overdue_flagged_on=today)
            .select_related("enterprise", "enterprise__region")
        )
        for request in overdue:
            request.overdue_flagged_on = today
            request.save(update_fields=["overdue_flagged_on"])
            _tell(staff_of(request.enterprise), MSG_REQUEST_OVERDUE, request)
            flagged += 1
    return flagged
