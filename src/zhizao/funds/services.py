"""Every change of the fund ledger: permission-checked against the object, atomic, locked
where it checks then acts, audited (``acting_as``) and told on commit (``notify``).

The limits are checked here on locked rows, with bilingual reasons, and again by the database
(``funds_programme_granted_within_budget``, ``funds_grant_paid_within_amount``): the running
totals ``FundProgramme.granted_total`` and ``FundGrant.paid_total`` change only here, in the
same transaction as the grant or payment they add."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.choices import RegionLevel
from zhizao.core.models import Organization, Region, User
from zhizao.core.notifications import notify
from zhizao.core.uploads import check_pdf_upload
from zhizao.funds import permissions
from zhizao.funds.choices import (
    CENT,
    DOCUMENT_MAX_BYTES,
    MSG_GRANT_MADE,
    SCORE_MAX,
    ApplicationStatus,
    Decision,
)
from zhizao.funds.models import (
    FundApplication,
    FundDocument,
    FundGrant,
    FundPayment,
    FundProgramme,
)

if TYPE_CHECKING:
    from zhizao.awards.models import AwardResult


PROGRAMME_FIELDS = frozenset(
    {
        "code",
        "kind",
        "level",
        "year",
        "name",
        "name_en",
        "region",
        "authority",
        "rules",
        "budget",
        "is_synthetic",
    }
)


def to_money(value: object, field: str = "amount", *, positive: bool = True) -> Decimal:
    """A yuan amount as a Decimal with two places. Floats are refused (0.1 + 0.2 is not 0.3),
    so are more than two places (fen is the smallest unit) and, unless ``positive`` is False,
    zero and negative amounts."""
    if isinstance(value, float | bool):
        raise ValidationError(
            {field: [_("Give the amount as a decimal text or Decimal, not a float.")]}
        )
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: [_("“%(value)s” is not an amount of money.") % {"value": value}]}
        ) from None
    if not amount.is_finite():
        raise ValidationError({field: [_("Give a finite amount.")]})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: [_("Money has at most two decimal places (yuan and fen).")]})
    if positive and amount <= 0:
        raise ValidationError({field: [_("The amount must be above zero.")]})
    if not positive and amount < 0:
        raise ValidationError({field: [_("The amount cannot be negative.")]})
    return amount.quantize(CENT)


def city_of(region: Region) -> Region:
    """The city (地级市) a region belongs to: itself, or its nearest city ancestor; a region
    under no city (a province-level municipality) stands for itself."""
    ids = [int(pk) for pk in region.path.strip("/").split("/") if pk]
    cities = {r.pk: r for r in Region.objects.filter(pk__in=ids, level=RegionLevel.CITY)}
    for pk in reversed(ids):
        if pk in cities:
            return cities[pk]
    return region


def _check_system_or(actor: User, allowed: bool, message: str) -> None:
    if not (allowed or is_system_actor(actor)):
        raise PermissionDenied(message)


def create_programme(actor: User, data: Mapping[str, Any]) -> FundProgramme:
    """Open a fund programme: staff of its region (or a region below it), or the system."""
    unknown = set(data) - PROGRAMME_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    values = dict(data)
    values["budget"] = to_money(values.get("budget", ""), "budget", positive=False)
    programme = FundProgramme(**values, created_by=actor)
    _check_system_or(
        actor,
        programme.region_id is not None and permissions.can_administer(actor, programme),
        _("Only bureau staff of the programme's region may open it."),
    )
    programme.full_clean(exclude=["created_by"])
    with transaction.atomic(), acting_as(actor):
        programme.save()
    return programme


def submit_fund_application(
    actor: User,
    programme: FundProgramme,
    organization: Organization,
    project: str,
    amount_requested: object,
    *,
    is_synthetic: bool = False,
) -> FundApplication:
    """Apply (申报) for ``organization``: its own enterprise users, staff recording for it, or
    the system (demo loader, imports)."""
    _check_system_or(
        actor,
        permissions.can_apply(actor, programme, organization),
        _("Only the organization's own users or bureau staff of its region may apply for it."),
    )
    application = FundApplication(
        programme=programme,
        organization=organization,
        city=city_of(organization.region),
        project=project.strip(),
        amount_requested=to_money(amount_requested, "amount_requested"),
        is_synthetic=is_synthetic,
        created_by=actor,
    )
    application.full_clean(exclude=["created_by", "reviewed_by"])
    with transaction.atomic(), acting_as(actor):
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as error:  # a concurrent submission of the same project won
            raise ValidationError(
                {"project": [_("This organization already applied for this project.")]}
            ) from error
    return application


def add_fund_document(
    actor: User, application: FundApplication, upload: UploadedFile[bytes]
) -> FundDocument:
    """File a PDF with an application (its applicant or staff deciding for it)."""
    _check_system_or(
        actor,
        permissions.can_apply(actor, application.programme, application.organization),
        _("Only the applicant or bureau staff of its region may file documents."),
    )
    content = check_pdf_upload(upload, max_bytes=DOCUMENT_MAX_BYTES)
    document = FundDocument(
        application=application,
        original_name=(upload.name or "document.pdf")[-200:],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    with transaction.atomic(), acting_as(actor):
        document.file.save("document.pdf", upload, save=False)
        document.save()
    return document


def review_fund_application(
    actor: User,
    application: FundApplication,
    *,
    decision: str,
    score: object = None,
    note: str = "",
) -> FundApplication:
    """Record the review (score 0–100, decision): staff deciding for the applicant."""
    _check_system_or(
        actor,
        permissions.can_decide_for(actor, application.programme, application.organization),
        _(
            "Only bureau staff administering this programme for the applicant's region may "
            "review it."
        ),
    )
    if decision not in Decision.values:
        raise ValidationError({"decision": [_("Choose approve or reject.")]})
    value: Decimal | None = None
    if score not in (None, ""):
        try:
            value = Decimal(str(score))
        except InvalidOperation:
            raise ValidationError({"score": [_("The score is a number from 0 to 100.")]}) from None
        if not (0 <= value <= SCORE_MAX):
            raise ValidationError({"score": [_("The score is a number from 0 to 100.")]})
    with transaction.atomic(), acting_as(actor):
        locked = FundApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(_("This application has already been decided."))
        locked.status = (
            ApplicationStatus.APPROVED
            if decision == Decision.APPROVE
            else ApplicationStatus.REJECTED
        )
        locked.score = value
        locked.decision_note = note.strip()
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save()
    return locked


def _add_grant(actor: User, grant: FundGrant) -> FundGrant:
    """Inside the caller's transaction: lock the programme, check the budget left, save the
    grant and add it to the programme's total; tell the organization's users on commit."""
    programme = FundProgramme.objects.select_for_update().get(pk=grant.programme_id)
    left = programme.budget - programme.granted_total
    if grant.amount > left:
        raise ValidationError(
            {
                "amount": [
                    _("¥%(amount)s exceeds the budget left in %(programme)s (¥%(left)s).")
                    % {"amount": grant.amount, "programme": programme, "left": left}
                ]
            }
        )
    grant.full_clean(exclude=["created_by", "application", "award_result"])
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as error:
        raise ValidationError(_("This grant is already recorded in the ledger.")) from error
    FundProgramme.objects.filter(pk=programme.pk).update(
        granted_total=F("granted_total") + grant.amount
    )
    notify(
        User.objects.filter(organization=grant.organization, is_active=True),
        MSG_GRANT_MADE,
        {
            "programme": str(programme),
            "organization": grant.organization.name,
            "amount": f"{grant.amount:,.2f}",
        },
    )
    return grant


def grant_fund(
    actor: User,
    application: FundApplication,
    amount: object,
    granted_on: dt.date,
    *,
    note: str = "",
    is_synthetic: bool = False,
) -> FundGrant:
    """Grant an approved application: at most what it asked and what the budget has left."""
    _check_system_or(
        actor,
        permissions.can_decide_for(actor, application.programme, application.organization),
        _(
            "Only bureau staff administering this programme for the applicant's region may "
            "grant it."
        ),
    )
    value = to_money(amount)
    with transaction.atomic(), acting_as(actor):
        locked = FundApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.APPROVED:
            raise ValidationError(_("Only an approved application is granted."))
        if value > locked.amount_requested:
            raise ValidationError(
                {
                    "amount": [
                        _("The grant (¥%(amount)s) exceeds the amount asked (¥%(asked)s).")
                        % {"amount": value, "asked": locked.amount_requested}
                    ]
                }
            )
        grant = _add_grant(
            actor,
            FundGrant(
                programme_id=locked.programme_id,
                application=locked,
                organization_id=locked.organization_id,
                city_id=locked.city_id,
                amount=value,
                granted_on=granted_on,
                note=note,
                is_synthetic=is_synthetic,
                created_by=actor,
            ),
        )
        locked.status = ApplicationStatus.GRANTED
        locked.save(update_fields=["status"])
    return grant


def grant_award_bonus(
    actor: User,
    programme: FundProgramme,
    result: AwardResult,
    amount: object,
    granted_on: dt.date,
    *,
    is_synthetic: bool = False,
) -> FundGrant:
    """A quality-award bonus: a grant that names the standing award result it rewards (one
    per result and programme), to the result's organization."""
    if result.organization is None:
        raise ValidationError(
            {"award_result": [_("Only an award to an organization is paid a bonus here.")]}
        )
    _check_system_or(
        actor,
        permissions.can_decide_for(actor, programme, result.organization),
        _("Only bureau staff administering this programme for the winner's region may grant it."),
    )
    if result.published_at is None or result.revoked_at is not None:
        raise ValidationError(
            {"award_result": [_("Only a published, standing award earns a bonus.")]}
        )
    value = to_money(amount)
    with transaction.atomic(), acting_as(actor):
        return _add_grant(
            actor,
            FundGrant(
                programme=programme,
                organization=result.organization,
                city=city_of(result.organization.region),
                amount=value,
                granted_on=granted_on,
                award_result=result,
                note=str(result)[:300],
                is_synthetic=is_synthetic or result.is_synthetic,
                created_by=actor,
            ),
        )


def record_grant(
    actor: User,
    programme: FundProgramme,
    organization: Organization,
    amount: object,
    granted_on: dt.date,
    *,
    note: str = "",
    source_ref: str = "",
    is_synthetic: bool = False,
) -> FundGrant:
    """A grant by decision, without an application (a district's standardization reward, say):
    staff administering the programme for the organization's region. Another app recording
    such a grant (``nqi.services.record_reward_grant``) calls this and keeps a link to the
    ``FundGrant``; it keeps no amount of its own."""
    _check_system_or(
        actor,
        permissions.can_decide_for(actor, programme, organization),
        _(
            "Only bureau staff administering this programme for the organization's region may "
            "record its grants."
        ),
    )
    value = to_money(amount)
    with transaction.atomic(), acting_as(actor):
        return _add_grant(
            actor,
            FundGrant(
                programme=programme,
                organization=organization,
                city=city_of(organization.region),
                amount=value,
                granted_on=granted_on,
                source_ref=source_ref,
                note=note,
                is_synthetic=is_synthetic,
                created_by=actor,
            ),
        )


def adopt_grant(
    actor: User,
    programme: FundProgramme,
    organization: Organization,
    amount: object,
    granted_on: dt.date,
    *,
    source_ref: str,
    note: str = "",
    is_synthetic: bool = False,
) -> FundGrant:
    """Take a grant recorded elsewhere first (``source_ref`` = ``app.model:id``, e.g. a row of
    an import) into the ledger, once: the ledger is the one record of money."""
    if not source_ref.strip() or ":" not in source_ref:
        raise ValidationError({"source_ref": [_("Name the adopted record as app.model:id.")]})
    return record_grant(
        actor,
        programme,
        organization,
        amount,
        granted_on,
        note=note,
        source_ref=source_ref.strip(),
        is_synthetic=is_synthetic,
    )


def record_payment(
    actor: User,
    grant: FundGrant,
    amount: object,
    paid_on: dt.date,
    voucher: str,
    *,
    voucher_file: UploadedFile[bytes] | None = None,
    is_synthetic: bool = False,
) -> FundPayment:
    """Pay (拨付) part or all of a grant, with its voucher number and optionally its scan (a
    PDF by its first bytes, at most 10 MB): never beyond what is unpaid."""
    _check_system_or(
        actor,
        permissions.can_decide_for(actor, grant.programme, grant.organization),
        _(
            "Only bureau staff administering this programme for the grantee's region may record "
            "its payments."
        ),
    )
    value = to_money(amount)
    if not voucher.strip():
        raise ValidationError({"voucher": [_("Give the payment voucher number.")]})
    if voucher_file is not None:
        check_pdf_upload(voucher_file, max_bytes=DOCUMENT_MAX_BYTES, field="voucher_file")
    with transaction.atomic(), acting_as(actor):
        locked = FundGrant.objects.select_for_update().get(pk=grant.pk)
        unpaid = locked.amount - locked.paid_total
        if value > unpaid:
            raise ValidationError(
                {
                    "amount": [
                        _("¥%(amount)s exceeds what is unpaid of this grant (¥%(unpaid)s).")
                        % {"amount": value, "unpaid": unpaid}
                    ]
                }
            )
        if paid_on < locked.granted_on:
            raise ValidationError({"paid_on": [_("A payment cannot be made before its grant.")]})
        payment = FundPayment(
            grant=locked,
            amount=value,
            paid_on=paid_on,
            voucher=voucher.strip(),
            is_synthetic=is_synthetic,
            created_by=actor,
        )
        payment.full_clean(exclude=["created_by", "voucher_file"])
        if voucher_file is not None:
            payment.voucher_file_name = (voucher_file.name or "voucher.pdf")[-200:]
            payment.voucher_file.save("voucher.pdf", voucher_file, save=False)
        payment.save()
        FundGrant.objects.filter(pk=locked.pk).update(paid_total=F("paid_total") + value)
    return payment
