"""Changes to supervision sampling, each a service (docs/decisions/0004-service-contract.md).

Batches come in through :func:`record_batches` (the entry form, the import and the demo loader
all call it): every batch is checked by the one validator :func:`check_batch`, its verdict is
derived from its items (``zhizao.indicators.sampling``), and a failed batch opens its
non-conformity case, raises the producer's early warning at the second failure of the year and,
when the producer holds a quality award still valid on the sampling date, the award's
post-award review (``awards.services.open_validity_review``). The follow-up steps are
:func:`send_notice`, :func:`request_retest`, :func:`record_retest`,
:func:`order_rectification`, :func:`report_rectification`, :func:`record_follow_up` and
:func:`close_case`, each with its deadline (``due_on``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.models import Organization, Region, User
from zhizao.core.notifications import notify
from zhizao.core.permissions import is_staff_user, own_organization_id, staff_regions
from zhizao.indicators.rates import PASS_RATE_DECIMALS, pass_rate
from zhizao.indicators.sampling import batch_conforms, item_conforms
from zhizao.sampling.choices import (
    FOLLOW_UP_DAYS,
    FOOD_DOMAINS,
    MSG_NOTICE,
    MSG_WARNING,
    NOTICE_WORKING_DAYS,
    RECTIFICATION_DAYS,
    RETEST_DAYS_PRODUCTS,
    RETEST_RESULT_DAYS,
    RETEST_WORKING_DAYS_FOOD,
    WARNING_FAILURES,
    CaseStatus,
    Grouping,
    Verdict,
)
from zhizao.sampling.models import (
    BatchStandard,
    EarlyWarning,
    Lab,
    NonConformityCase,
    PlanCategory,
    SampledBatch,
    SamplingPlan,
    TestItem,
)
from zhizao.stdcodes import parse

VERDICT_WORDS = {
    "pass": Verdict.PASS,
    "合格": Verdict.PASS,
    "conforms": Verdict.PASS,
    "fail": Verdict.FAIL,
    "不合格": Verdict.FAIL,
    "does not conform": Verdict.FAIL,
}


def working_days_after(day: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday to Friday) after ``day``; public holidays are not known
    to the platform and count as working days."""
    return np.busday_offset(np.datetime64(day, "D"), days, roll="forward").astype(dt.date)  # type: ignore[no-any-return]


def _require_staff_of(actor: User, region_id: int, message: str) -> None:
    if not staff_regions(actor).filter(pk=region_id).exists():
        raise PermissionDenied(message)


# --- Labs and plans ----------------------------------------------------------------------------


def create_lab(
    actor: User, organization: Organization, *, cma_number: str = "", cnas_number: str = ""
) -> Lab:
    """Register an inspection body as a sampling lab: bureau staff, or the system actor."""
    if not (is_staff_user(actor) or is_system_actor(actor)):
        raise PermissionDenied(_("Only bureau staff register laboratories."))
    lab = Lab(
        organization=organization,
        cma_number=cma_number,
        cnas_number=cnas_number,
        is_synthetic=organization.is_synthetic,
    )
    lab.full_clean()
    with transaction.atomic(), acting_as(actor):
        lab.save()
    return lab


def create_plan(actor: User, *, categories: dict[str, int], **data: Any) -> SamplingPlan:
    """A sampling plan with its product categories and planned batches: staff of the plan's
    region (or the system actor)."""
    region: Region | None = data.get("region")
    if region is None:
        raise ValidationError({"region": [_("Choose the region sampled.")]})
    if not is_system_actor(actor):
        _require_staff_of(
            actor, region.pk, _("Only bureau staff of this region may make its sampling plans.")
        )
    if not categories:
        raise ValidationError({"categories": [_("A plan needs at least one product category.")]})
    plan = SamplingPlan(created_by=actor, **data)
    plan.full_clean()
    with transaction.atomic(), acting_as(actor):
        plan.save()
        for name, planned in categories.items():
            category = PlanCategory(plan=plan, name=name, planned_batches=planned)
            category.full_clean()
            category.save()
    return plan


# --- Batches -----------------------------------------------------------------------------------


@dataclass
class ItemInput:
    name: str
    value: str = ""
    limit: str = ""
    unit: str = ""
    verdict: str = (
        ""  # as reported (pass/fail, 合格/不合格); derived when value and limit are numbers
    )


@dataclass
class BatchInput:
    category: str
    producer: Organization | None
    product: str
    sampled_on: dt.date | None
    report_number: str
    region: Region | None = None  # default: the producer's region
    seller: Organization | None = None
    brand: str = ""
    specification: str = ""
    batch_number: str = ""
    place: str = ""
    standards: list[str] = field(default_factory=list)
    items: list[ItemInput] = field(default_factory=list)
    is_synthetic: bool = False


@dataclass
class CheckedBatch:
    batch: SampledBatch
    items: list[TestItem]
    codes: list[str]


def check_batch(
    plan: SamplingPlan, data: BatchInput, categories: dict[str, PlanCategory]
) -> tuple[CheckedBatch | None, dict[str, list[str]]]:
    """The one validator of a batch (form, import, API and demo alike): the batch to write, or
    its problems by field (``items.2.value`` for an item's)."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    category = categories.get(data.category.strip())
    if category is None:
        add(
            "category",
            _("The plan has no product category %(name)s; its categories are %(names)s.")
            % {"name": data.category, "names": "、".join(categories) or "—"},
        )
    if data.producer is None:
        add("producer", _("Name the producer by its registered unified social credit code."))
    if data.sampled_on is None:
        add("sampled_on", _("Give the sampling date (YYYY-MM-DD)."))
    elif data.sampled_on.year != plan.year:
        add(
            "sampled_on",
            _("The date %(date)s is outside the plan's year %(year)d.")
            % {"date": data.sampled_on.isoformat(), "year": plan.year},
        )
    elif data.sampled_on > timezone.localdate():
        add("sampled_on", _("The sampling date is in the future."))
    region = data.region or (data.producer.region if data.producer else None)
    if region is not None and not region.path.startswith(plan.region.path):
        add("region", _("The batch was sampled outside the plan's region."))
    codes: list[str] = []
    for text in data.standards:
        if not text.strip():
            continue
        result = parse(text)
        if result.standard is None:
            assert result.error is not None
            add("standards", f"{text}: {result.error.message(_language())}")
        elif result.standard.code not in codes:
            codes.append(result.standard.code)
    if not data.items:
        add("items", _("A batch needs at least one test item."))
    items: list[TestItem] = []
    for index, item in enumerate(data.items):
        key = f"items.{index}"
        reported = VERDICT_WORDS.get(item.verdict.strip().lower()) if item.verdict.strip() else None
        if item.verdict.strip() and reported is None:
            add(f"{key}.verdict", _("Write the item verdict as 合格 or 不合格 (pass or fail)."))
        if not item.name.strip():
            add(f"{key}.name", _("Name the test item."))
        derived = item_conforms(item.value, item.limit)
        if derived is None and reported is None and not item.verdict.strip():
            add(
                f"{key}.verdict",
                _("The value or the limit is not a number: give the lab's verdict."),
            )
        elif derived is not None:
            derived_verdict = Verdict.PASS if derived else Verdict.FAIL
            if reported is not None and reported != derived_verdict:
                add(
                    f"{key}.verdict",
                    _(
                        "The verdict %(verdict)s contradicts the value %(value)s "
                        "against the limit %(limit)s."
                    )
                    % {"verdict": item.verdict, "value": item.value, "limit": item.limit},
                )
            reported = derived_verdict
        items.append(
            TestItem(
                name=item.name.strip(),
                value=item.value.strip(),
                limit=item.limit.strip(),
                unit=item.unit.strip(),
                verdict=reported or Verdict.FAIL,
            )
        )
    if errors:
        return None, errors
    assert category is not None
    assert data.producer is not None
    assert region is not None
    assert data.sampled_on is not None
    failed = sum(1 for item in items if item.verdict == Verdict.FAIL)
    verdict = (
        Verdict.PASS if batch_conforms(i.verdict == Verdict.PASS for i in items) else Verdict.FAIL
    )
    batch = SampledBatch(
        plan=plan,
        category=category,
        producer=data.producer,
        seller=data.seller,
        product=data.product.strip(),
        brand=data.brand.strip(),
        specification=data.specification.strip(),
        batch_number=data.batch_number.strip(),
        sampled_on=data.sampled_on,
        place=data.place.strip(),
        region=region,
        lab=plan.lab,
        report_number=data.report_number.strip(),
        verdict=verdict,
        failed_items=failed,
        is_synthetic=data.is_synthetic,
    )
    try:
        # Foreign keys are objects checked above, report numbers are checked in bulk and the
        # verdict constraint holds by construction: only the fields' own validators run here.
        batch.full_clean(
            exclude=["created_by", "plan", "category", "lab", "region", "producer", "seller"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                add(key, message)
        return None, errors
    return CheckedBatch(batch, items, codes), errors


def _language() -> str:
    from django.utils import translation

    return translation.get_language() or "zh-hans"


@dataclass(frozen=True)
class RecordSummary:
    batches: list[SampledBatch]
    failed: int
    warnings: list[EarlyWarning]
    reviews: list[Any]  # awards.ValidityReview
    reviews_skipped: int  # award winners whose review this actor may not open


def require_recorder(actor: User, plan: SamplingPlan) -> None:
    """Staff of the plan's region, or the system actor, record its batches."""
    if not is_system_actor(actor):
        _require_staff_of(
            actor,
            plan.region_id,
            _("Only bureau staff of the plan's region may record its batches."),
        )


def validate_batches(
    plan: SamplingPlan, inputs: Sequence[BatchInput]
) -> tuple[list[CheckedBatch], dict[str, list[str]]]:
    """Check batches for ``plan`` without writing: the batches to write and the problems by
    ``<batch index>.<field>`` (a report number twice, or already recorded for the lab)."""
    categories = {category.name: category for category in plan.categories.all()}
    checked: list[CheckedBatch] = []
    problems: dict[str, list[str]] = {}
    numbers: set[str] = set()
    for index, data in enumerate(inputs):
        one, errors = check_batch(plan, data, categories)
        number = data.report_number.strip()
        if number in numbers:
            errors.setdefault("report_number", []).append(_("This report number appears twice."))
        numbers.add(number)
        if errors or one is None:
            for key, messages in errors.items():
                problems[f"{index}.{key}"] = messages
        else:
            checked.append(one)
    stored = set(
        SampledBatch.objects.filter(lab=plan.lab, report_number__in=numbers).values_list(
            "report_number", flat=True
        )
    )
    for index, data in enumerate(inputs):
        if data.report_number.strip() in stored:
            problems.setdefault(f"{index}.report_number", []).append(
                _("This lab's report %(number)s is already recorded.")
                % {"number": data.report_number.strip()}
            )
    return checked, problems


def record_batches(actor: User, plan: SamplingPlan, inputs: Sequence[BatchInput]) -> RecordSummary:
    """Record batches of ``plan`` with their items and standards, all or nothing: staff of the
    plan's region, or the system actor (demo, import jobs). Raises ValidationError with the
    problems by ``<batch index>.<field>`` when any batch is bad; nothing is written then."""
    require_recorder(actor, plan)
    checked, problems = validate_batches(plan, inputs)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), acting_as(actor):
        for one in checked:
            one.batch.created_by = actor
        batches = bulk_create_with_history(
            [one.batch for one in checked], SampledBatch, batch_size=500
        )
        if any(
            batch.pk is None for batch in batches
        ):  # pragma: no cover - databases without RETURNING
            raise RuntimeError("bulk insert returned no primary keys")
        items: list[TestItem] = []
        standards: list[BatchStandard] = []
        registered = _registered_standards({code for one in checked for code in one.codes})
        for batch, one in zip(batches, checked, strict=True):
            for item in one.items:
                item.batch = batch
                items.append(item)
            standards.extend(
                BatchStandard(batch=batch, code=code, standard=registered.get(code))
                for code in one.codes
            )
        TestItem.objects.bulk_create(items, batch_size=1000)
        BatchStandard.objects.bulk_create(standards, batch_size=1000)
        failed = [batch for batch in batches if batch.verdict == Verdict.FAIL]
        for batch in failed:
            _open_case(batch)
        warnings = _raise_warnings(failed)
        reviews, skipped = _raise_award_reviews(actor, failed)
    return RecordSummary(batches, len(failed), warnings, reviews, skipped)


def record_batch(actor: User, plan: SamplingPlan, data: BatchInput) -> SampledBatch:
    """One batch (the entry form, the API): :func:`record_batches` of one; its problems come
    back by field without the batch index."""
    try:
        return record_batches(actor, plan, [data]).batches[0]
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {key.split(".", 1)[1]: messages for key, messages in error.message_dict.items()}
            ) from error
        raise


def _registered_standards(codes: set[str]) -> dict[str, Any]:
    from zhizao.standards.models import Standard

    found: dict[str, Any] = {}
    for code in codes:
        standard = Standard.objects.matching(code).order_by("-year").first()
        if standard is not None:
            found[code] = standard
    return found


def _open_case(batch: SampledBatch) -> NonConformityCase:
    opened = timezone.now()
    case = NonConformityCase(
        batch=batch,
        opened_at=opened,
        due_on=working_days_after(timezone.localdate(opened), NOTICE_WORKING_DAYS),
    )
    case.save()
    return case


def _raise_warnings(failed: Iterable[SampledBatch]) -> list[EarlyWarning]:
    """An early warning for each producer with :data:`WARNING_FAILURES` failed batches in a
    year (counting those stored before); bureau staff of the producer's region are told."""
    keys = {(batch.producer_id, batch.sampled_on.year) for batch in failed}
    raised: list[EarlyWarning] = []
    for producer_id, year in sorted(keys):
        count = SampledBatch.objects.filter(
            producer_id=producer_id, sampled_on__year=year, verdict=Verdict.FAIL
        ).count()
        if count < WARNING_FAILURES:
            continue
        warning = (
            EarlyWarning.objects.select_for_update()
            .filter(producer_id=producer_id, year=year)
            .first()
        )
        if warning is None:
            warning = EarlyWarning(producer_id=producer_id, year=year, failed_batches=count)
            warning.save()
            raised.append(warning)
            producer = warning.producer
            notify(
                _staff_over(producer.region),
                MSG_WARNING,
                {"producer": producer.name, "year": year, "failed": count},
            )
        elif warning.failed_batches != count:
            warning.failed_batches = count
            warning.save(update_fields=["failed_batches"])
    return raised


def _staff_over(region: Region) -> QuerySet[User]:
    """Active bureau staff whose region is ``region`` or one above it."""
    ids = [int(part) for part in region.path.strip("/").split("/") if part]
    return User.objects.filter(is_active=True, role="bureau_staff", region_id__in=ids)


def _raise_award_reviews(actor: User, failed: Iterable[SampledBatch]) -> tuple[list[Any], int]:
    """A failed batch of a producer whose quality award was valid on the sampling date raises
    the award's post-award review (one open review per award), through the awards service and
    only where ``actor`` may open it; the others are counted as skipped."""
    from zhizao.awards import permissions as award_permissions
    from zhizao.awards import services as award_services
    from zhizao.awards.choices import ReviewTrigger, ValidityReviewOutcome
    from zhizao.awards.models import AwardResult

    failed = list(failed)
    producers = {batch.producer_id for batch in failed}
    if not producers:
        return [], 0
    results = list(
        AwardResult.objects.standing()
        .filter(organization_id__in=producers)
        .select_related("edition__programme__region", "city")
    )
    reviews: list[Any] = []
    skipped = 0
    today = timezone.localdate()
    for result in results:
        hits = [
            batch
            for batch in failed
            if batch.producer_id == result.organization_id
            and result.edition.year <= batch.sampled_on.year
            and batch.sampled_on <= result.valid_until
        ]
        if not hits or today > result.valid_until:
            continue
        if result.reviews.filter(
            trigger=ReviewTrigger.FAILED_SAMPLING, outcome=ValidityReviewOutcome.OPEN
        ).exists():
            continue
        if not award_permissions.can_administer_programme(
            actor, result.edition.programme, result.city
        ):
            skipped += 1
            continue
        note = _("Failed supervision sampling: %(reports)s") % {
            "reports": "、".join(f"{b.report_number} {b.product}" for b in hits)
        }
        reviews.append(
            award_services.open_validity_review(actor, result, ReviewTrigger.FAILED_SAMPLING, note)
        )
    return reviews, skipped


# --- Non-conformity follow-up ------------------------------------------------------------------


def _locked_case(case: NonConformityCase, *allowed: str) -> NonConformityCase:
    locked = (
        NonConformityCase.objects.select_for_update().select_related("batch__plan").get(pk=case.pk)
    )
    if locked.status not in allowed:
        raise ValidationError(
            _("This step is not open while the case is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _require_case_staff(actor: User, case: NonConformityCase) -> None:
    _require_staff_of(
        actor,
        case.batch.region_id,
        _("Only bureau staff of the district where the batch was sampled may do this."),
    )


def is_party(actor: User, batch: SampledBatch) -> bool:
    org = own_organization_id(actor)
    return org is not None and org in (batch.producer_id, batch.seller_id)


def _parties(batch: SampledBatch) -> QuerySet[User]:
    orgs = [org for org in (batch.producer_id, batch.seller_id) if org is not None]
    return User.objects.filter(is_active=True, organization_id__in=orgs)


def retest_period_end(case: NonConformityCase, notified_on: dt.date) -> dt.date:
    if case.batch.plan.domain in FOOD_DOMAINS:
        return working_days_after(notified_on, RETEST_WORKING_DAYS_FOOD)
    return notified_on + dt.timedelta(days=RETEST_DAYS_PRODUCTS)


def send_notice(actor: User, case: NonConformityCase) -> NonConformityCase:
    """Send the non-conformity notice to the producer and the seller (their users are told on
    commit); the re-test period starts."""
    _require_case_staff(actor, case)
    with transaction.atomic(), acting_as(actor):
        locked = _locked_case(case, CaseStatus.OPEN)
        now = timezone.now()
        locked.status = CaseStatus.NOTIFIED
        locked.notice_sent_at = now
        locked.retest_due = retest_period_end(locked, timezone.localdate(now))
        locked.due_on = locked.retest_due
        locked.save()
        batch = locked.batch
        notify(
            _parties(batch),
            MSG_NOTICE,
            {
                "product": batch.product,
                "report": batch.report_number,
                "lab": batch.lab.organization.name,
                "until": locked.retest_due.isoformat(),
            },
        )
    return locked


def request_retest(actor: User, case: NonConformityCase, note: str = "") -> NonConformityCase:
    """The producer or seller asks for a re-test (复检) within the period; staff may enter the
    request they received."""
    if not (
        is_party(actor, case.batch) or staff_regions(actor).filter(pk=case.batch.region_id).exists()
    ):
        raise PermissionDenied(
            _("Only the producer, the seller or the responsible staff may ask for a re-test.")
        )
    with transaction.atomic(), acting_as(actor):
        locked = _locked_case(case, CaseStatus.NOTIFIED)
        today = timezone.localdate()
        assert locked.retest_due is not None
        if today > locked.retest_due:
            raise ValidationError(
                _("The re-test period ended on %(date)s.") % {"date": locked.retest_due.isoformat()}
            )
        locked.status = CaseStatus.RETEST_REQUESTED
        locked.retest_requested_at = timezone.now()
        locked.due_on = today + dt.timedelta(days=RETEST_RESULT_DAYS)
        if note.strip():
            locked._change_reason = note.strip()[:100]  # type: ignore[attr-defined]
        locked.save()
    return locked


def record_retest(
    actor: User, case: NonConformityCase, *, conforms: bool, lab: str, report_number: str
) -> NonConformityCase:
    """The re-test's result: a conforming re-test overturns the batch's result (it then counts
    as passed) and the case may be closed; a non-conforming one orders rectification."""
    _require_case_staff(actor, case)
    if not lab.strip() or not report_number.strip():
        raise ValidationError(
            {
                **({"lab": [_("Name the re-test laboratory.")]} if not lab.strip() else {}),
                **(
                    {"report_number": [_("Give the re-test report number.")]}
                    if not report_number.strip()
                    else {}
                ),
            }
        )
    with transaction.atomic(), acting_as(actor):
        locked = _locked_case(case, CaseStatus.RETEST_REQUESTED)
        if lab.strip() == locked.batch.lab.organization.name:
            raise ValidationError(
                {"lab": [_("The re-test is made by another laboratory than the first test.")]}
            )
        today = timezone.localdate()
        locked.retest_lab = lab.strip()
        locked.retest_report_number = report_number.strip()
        locked.retest_conforms = conforms
        if conforms:
            locked.status = CaseStatus.RETEST_CONFORMING
            locked.due_on = working_days_after(today, NOTICE_WORKING_DAYS)
            batch = SampledBatch.objects.select_for_update().get(pk=locked.batch_id)
            batch.overturned_on_retest = True
            batch._change_reason = f"re-test {report_number.strip()}"[:100]  # type: ignore[attr-defined]
            batch.save(update_fields=["overturned_on_retest"])
        else:
            locked.status = CaseStatus.RECTIFYING
            locked.rectification_due = today + dt.timedelta(days=RECTIFICATION_DAYS)
            locked.due_on = locked.rectification_due
        locked.save()
    return locked


def order_rectification(actor: User, case: NonConformityCase) -> NonConformityCase:
    """Order rectification once the re-test period has passed without a request."""
    _require_case_staff(actor, case)
    with transaction.atomic(), acting_as(actor):
        locked = _locked_case(case, CaseStatus.NOTIFIED)
        today = timezone.localdate()
        assert locked.retest_due is not None
        if today <= locked.retest_due:
            raise ValidationError(
                _("The re-test period runs until %(date)s.")
                % {"date": locked.retest_due.isoformat()}
            )
        locked.status = CaseStatus.RECTIFYING
        locked.rectification_due = today + dt.timedelta(days=RECTIFICATION_DAYS)
        locked.due_on = locked.rectification_due
        locked.save()
    return locked


def report_rectification(actor: User, case: NonConformityCase, note: str) -> NonConformityCase:
    """The producer (or seller) reports the rectification; staff may enter it for them."""
    if not (
        is_party(actor, case.batch) or staff_regions(actor).filter(pk=case.batch.region_id).exists()
    ):
        raise PermissionDenied(
            _(
                "Only the producer, the seller or the responsible staff may report the "
                "rectification."
            )
        )
    if not note.strip():
        raise ValidationError({"note": [_("Describe the rectification.")]})
    with transaction.atomic(), acting_as(actor):
        locked = _locked_case(case, CaseStatus.RECTIFYING)
        locked.status = CaseStatus.RECTIFIED
        locked.rectification_note = note.strip()
        locked.rectification_reported_at = timezone.now()
        locked.due_on = timezone.localdate() + dt.timedelta(days=FOLLOW_UP_DAYS)
        locked.save()
    return locked


def record_follow_up(
    actor: User, case: NonConformityCase, follow_up: SampledBatch
) -> NonConformityCase:
    """Link the follow-up sampling (跟踪抽检) of the same producer's product, sampled after the
    failed batch."""
    _require_case_staff(actor, case)
    with transaction.atomic(), acting_as(actor):
        locked = _locked_case(case, CaseStatus.RECTIFIED)
        if follow_up.producer_id != locked.batch.producer_id:
            raise ValidationError({"batch": [_("The follow-up batch is of another producer.")]})
        if follow_up.pk == locked.batch_id or follow_up.sampled_on < locked.batch.sampled_on:
            raise ValidationError(
                {"batch": [_("The follow-up batch must be sampled after the failed one.")]}
            )
        locked.status = CaseStatus.FOLLOW_UP
        locked.follow_up_batch = follow_up
        locked.due_on = working_days_after(timezone.localdate(), NOTICE_WORKING_DAYS)
        locked.save()
    return locked


def close_case(actor: User, case: NonConformityCase, note: str = "") -> NonConformityCase:
    """Close the case after a conforming re-test, or after a conforming follow-up batch."""
    _require_case_staff(actor, case)
    with transaction.atomic(), acting_as(actor):
        locked = _locked_case(case, CaseStatus.RETEST_CONFORMING, CaseStatus.FOLLOW_UP)
        if locked.status == CaseStatus.FOLLOW_UP:
            assert locked.follow_up_batch is not None
            if not locked.follow_up_batch.passed:
                raise ValidationError(
                    _("The follow-up batch does not conform: its own case follows it up.")
                )
        locked.status = CaseStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.closing_note = note.strip()[:300]
        locked.due_on = None
        locked.save()
    return locked


# --- Pass rates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    key: Any
    label: str
    passed: int
    total: int
    rate: float
    low: float
    high: float
    synthetic: bool


GROUP_FIELDS = {
    Grouping.DOMAIN: ("plan__domain", None),
    Grouping.CATEGORY: ("category__name", None),
    Grouping.DISTRICT: ("region_id", "region__name"),
    Grouping.PRODUCER: ("producer_id", "producer__name"),
    Grouping.YEAR: ("sampled_on__year", None),
}


def pass_rates(batches: QuerySet[SampledBatch], grouping: str) -> list[RateRow]:
    """Pass rates of ``batches`` per group, with Wilson 95% intervals (the engine), in percent
    rounded per GB/T 8170; groups in order of their key."""
    from zhizao.sampling.choices import Domain

    key_field, label_field = GROUP_FIELDS[Grouping(grouping)]
    fields = [key_field] + ([label_field] if label_field else [])
    rows = (
        batches.order_by()
        .values(*fields)
        .annotate(
            total=Count("pk"),
            passed=Count("pk", filter=Q(verdict=Verdict.PASS) | Q(overturned_on_retest=True)),
            synthetic=Count("pk", filter=Q(is_synthetic=True)),
        )
        .order_by(key_field)
    )
    out = []
    for row in rows:
        rate = pass_rate(row["passed"], row["total"])
        pct, low, high = rate.percent(PASS_RATE_DECIMALS)
        key = row[key_field]
        if grouping == Grouping.DOMAIN:
            label = str(Domain(key).label)
        else:
            label = str(row[label_field] if label_field else key)
        out.append(
            RateRow(key, label, rate.passed, rate.total, pct, low, high, row["synthetic"] > 0)
        )
    return out
