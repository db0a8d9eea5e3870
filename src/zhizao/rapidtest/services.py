"""Every change of rapid-test state goes through a function here: permission-checked,
validated, atomic, audited, and keeping the dashboard rollups current."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.choices import Role
from zhizao.core.models import Organization, User
from zhizao.core.notifications import notify
from zhizao.core.permissions import AnyUser
from zhizao.core.validators import control_character_message, has_control_characters
from zhizao.indicators.rapidtest import Decision, decide
from zhizao.rapidtest import importing, permissions, rollups, validation
from zhizao.rapidtest.choices import (
    MANUAL_SOURCES,
    MSG_CASE_OPENED,
    CaseStatus,
    CorrectionAction,
    LabResult,
    Source,
    case_deadline_hours,
)
from zhizao.rapidtest.filters import FIRST_ROLLUP_MONTH, readable_record
from zhizao.rapidtest.importing import ImportOutcome as ImportOutcome  # re-exported
from zhizao.rapidtest.models import (
    FollowUpCase,
    MarketProfile,
    MonthlyRollup,
    RecordCorrection,
    Stall,
    TestRecord,
)

logger = logging.getLogger("zhizao.rapidtest")

RECORD_FIELDS = (
    "sample_code",
    "stall",
    "product",
    "item",
    "origin",
    "supplier",
    "batch_kg",
    "sampled_at",
    "tested_at",
    "tester_name",
    "instrument_id",
    "value",
)


def _user(actor: AnyUser) -> User:
    if not isinstance(actor, User):  # the permission checks let no anonymous user this far
        raise PermissionDenied(_("Sign in to change rapid-test records."))
    return actor


def _resolve(model: type[Any], value: object, field: str) -> Any:
    if isinstance(value, model) or value is None:
        return value
    try:
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return model.objects.get(pk=int(value))
        return model.objects.get(name=str(value).strip())
    except model.DoesNotExist:
        raise ValidationError(
            {field: [_("Unknown %(field)s: %(value)s") % {"field": field, "value": value}]}
        ) from None


def _check(
    market: Organization,
    values: Mapping[str, Any],
    *,
    manual: bool,
    catalogues: dict[int, validation.Catalogue] | None = None,
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The record rules (:mod:`zhizao.rapidtest.validation`, the same as a file row's) on one
    record: errors by field, and the checked values to store. ``catalogues`` (by market) lets a
    batch load each market's catalogue once instead of once per record."""
    values = dict(values)
    errors: dict[str, list[str]] = {}
    stall = values.get("stall")
    if isinstance(stall, Stall) and stall.market_id != market.pk:
        errors["stall"] = [_("This stall is in another market.")]
        values["stall"] = None
    catalogues = {} if catalogues is None else catalogues
    if market.pk not in catalogues:
        catalogues[market.pk] = validation.Catalogue.load(Organization.objects.filter(pk=market.pk))
    catalogue = catalogues[market.pk]
    found, checked = validation.check_record(market, values, manual=manual, catalogue=catalogue)
    for field, messages in found.items():
        errors.setdefault(field, []).extend(messages)
    return errors, checked


def _check_sample(record: TestRecord) -> dict[str, list[str]]:
    """The batch rules (:func:`validation.check_samples`, the same as a file's) on a record with
    the stored tests of its sample: one product, each item once."""
    others = list(
        TestRecord.objects.filter(market_id=record.market_id, sample_code=record.sample_code)
        .exclude(pk=record.pk)
        .order_by("pk")
        .values_list("product_id", "item_id")
    )
    if not others:
        return {}
    errors: dict[str, list[str]] = {}
    n = len(others) + 1
    products = np.array([p for p, _i in others] + [record.product_id], dtype=np.int64)
    items = np.array([i for _p, i in others] + [record.item_id], dtype=np.int64)

    def report(rows: npt.NDArray[np.int64], header: str, message: str) -> None:
        if n - 1 in rows.tolist():
            errors.setdefault(header, []).append(message)

    validation.check_samples(
        np.full(n, record.market_id, dtype=np.int64),
        pa.array([record.sample_code] * n, pa.string()),
        products,
        items,
        np.arange(n, dtype=np.int64),
        report,
        "sample_code",
    )
    return errors


def _lock_samples(market_id: int, *codes: str) -> None:
    """Lock the tests of these samples, and the market's row so that two tests of one new sample
    entered at once cannot both count it as a new batch."""
    Organization.objects.select_for_update().filter(pk=market_id).values_list("pk").first()
    list(
        TestRecord.objects.select_for_update()
        .filter(market_id=market_id, sample_code__in=codes)
        .values_list("pk", flat=True)
    )


def _batch_deltas(
    deltas: rollups.Deltas,
    before: dict[tuple[int, str], rollups.BatchState | None],
) -> rollups.Deltas:
    """Add to ``deltas`` the change of each batch's count from its state ``before`` the write to
    its state now."""
    for (market_id, code), state in before.items():
        rollups.add_batch(deltas, state, -1)
        rollups.add_batch(deltas, rollups.batch_state(market_id, code), +1)
    return deltas


def _open_case(record: TestRecord, actor: User, *, notify_users: bool = True) -> FollowUpCase:
    case = FollowUpCase(
        record=record,
        market_id=record.market_id,
        opened_at=record.tested_at,
        due_at=record.tested_at + timedelta(hours=case_deadline_hours()),
    )
    with acting_as(actor):
        case.save()
    if notify_users:
        _notify_case(case)
    return case


def _case_recipients(market: Organization) -> list[User]:
    region_ids = [int(pk) for pk in market.region.path.strip("/").split("/") if pk]
    return list(
        User.objects.filter(is_active=True).filter(
            Q(role=Role.BUREAU_STAFF, region_id__in=region_ids)
            | Q(role=Role.MARKET_TESTER, organization=market)
        )
    )


def _notify_case(case: FollowUpCase) -> None:
    from django.urls import reverse

    record = case.record
    notify(
        _case_recipients(record.market),
        MSG_CASE_OPENED,
        {
            "market": record.market.name,
            "product": record.product.name,
            "item": record.item.name,
            "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M"),
        },
        link=reverse("rapidtest:case_detail", args=[case.pk]),
    )


def record_test_result(
    actor: AnyUser,
    data: Mapping[str, Any],
    *,
    source: str = Source.WEB,
    catalogues: dict[int, validation.Catalogue] | None = None,
) -> tuple[TestRecord, bool]:
    """Record one test. Returns (record, created); a retried client record id returns the
    record already stored (idempotent) and changes nothing. A batch passes one ``catalogues``
    dict to all its records (each market's catalogue is read once)."""
    market = data.get("market")
    if not isinstance(market, Organization):
        market = _resolve(Organization, market, "market")
    assert isinstance(market, Organization)
    if not permissions.can_enter(actor, market):
        raise PermissionDenied(_("You may not enter tests for this market."))
    client_id = str(data.get("client_record_id") or "").strip()
    if len(client_id) > 64:
        raise ValidationError({"client_record_id": [_("At most 64 characters.")]})
    if has_control_characters(client_id):
        raise ValidationError({"client_record_id": [control_character_message()]})
    if client_id:
        existing = TestRecord.objects.filter(market=market, client_record_id=client_id).first()
        if existing is not None:
            return existing, False
    profile = MarketProfile.objects.filter(organization=market).first()
    if profile is not None and profile.instrument_only and source in MANUAL_SOURCES:
        raise ValidationError(
            _("This test room must upload results from its instruments only (through the API).")
        )
    errors, checked = _check(market, data, manual=source in MANUAL_SOURCES, catalogues=catalogues)
    evidence = profile is not None and profile.evidence_required and source in MANUAL_SOURCES
    if evidence and not data.get("photo"):
        errors.setdefault("photo", []).append(
            _("This test room must attach a photo to every test.")
        )
    if errors:
        raise ValidationError(errors)
    record = TestRecord(
        market=market,
        source=source,
        client_record_id=client_id or f"{source}-{uuid.uuid4().hex}",
        tester=_user(actor),
        entered_at=timezone.now(),
        **checked,
    )
    explicit_sample = bool(record.sample_code)
    if not explicit_sample:
        record.sample_code = record.client_record_id  # a batch of its own
    if data.get("photo"):
        record.photo = data["photo"]
    try:
        record.full_clean(
            exclude=["passed", "value", "product", "item", "photo"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    try:
        with transaction.atomic():
            if explicit_sample:
                _lock_samples(market.pk, record.sample_code)
                sample_errors = _check_sample(record)
                if sample_errors:
                    raise ValidationError(sample_errors)
            before = {
                (market.pk, record.sample_code): rollups.batch_state(market.pk, record.sample_code)
            }
            record.save()
            deltas = rollups.Deltas()
            rollups.add_test(deltas, record, +1)
            rollups.bump(_batch_deltas(deltas, before))
            if not record.passed:
                _open_case(record, _user(actor))
    except IntegrityError:
        existing = TestRecord.objects.filter(market=market, client_record_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    return record, True


def _snapshot(record: TestRecord) -> dict[str, Any]:
    return {
        "sample_code": record.sample_code,
        "stall": record.stall_id,
        "product": record.product_id,
        "item": record.item_id,
        "origin": record.origin,
        "supplier": record.supplier,
        "batch_kg": record.batch_kg,
        "sampled_at": record.sampled_at.isoformat() if record.sampled_at else None,
        "tested_at": record.tested_at.isoformat() if record.tested_at else None,
        "tester_name": record.tester_name,
        "instrument_id": record.instrument_id,
        "value": record.value,
        "passed": record.passed,
    }


def correct_test_record(
    actor: AnyUser, record: TestRecord, data: Mapping[str, Any], reason: str
) -> TestRecord:
    """Correct a stored record (staff): the result is recomputed, the rollups and the case follow,
    and the correction is audited with the values before and after."""
    if not permissions.can_manage(actor, record.market):
        raise PermissionDenied(_("Only bureau staff of this market's region may correct tests."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    unknown = set(data) - set(RECORD_FIELDS) - {"result"}
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    with transaction.atomic():
        found = readable_record(
            TestRecord.objects.select_for_update().select_related("product", "item"), record.pk
        )
        if found is None:
            raise TestRecord.DoesNotExist
        record = found
        if record.tested_at is None:
            raise ValidationError(
                _("This record's stored test time is out of range: delete it and enter it again.")
            )
        before = _snapshot(record)
        old_passed, old_code = record.passed, record.sample_code
        values: dict[str, Any] = {name: getattr(record, name) for name in RECORD_FIELDS}
        values.update(data)
        errors, checked = _check(record.market, values, manual=False)
        if errors:
            raise ValidationError(errors)
        deltas = rollups.Deltas()
        rollups.add_test(deltas, record, -1)
        for name, value in checked.items():
            setattr(record, name, value)
        if not record.sample_code:
            record.sample_code = record.client_record_id  # a batch of its own
        _lock_samples(record.market_id, old_code, record.sample_code)
        sample_errors = _check_sample(record)
        if sample_errors:
            raise ValidationError(sample_errors)
        states = {
            (record.market_id, code): rollups.batch_state(record.market_id, code)
            for code in {old_code, record.sample_code}
        }
        case = FollowUpCase.objects.select_for_update().filter(record=record).first()
        record.passed = verdict_passed(record, case)
        record.save()
        rollups.add_test(deltas, record, +1)
        rollups.bump(_batch_deltas(deltas, states))
        user = _user(actor)
        if case is not None:
            _case_follows_correction(case, record, old_passed, user)
        elif not record.passed:
            _open_case(record, user)
        RecordCorrection.objects.create(
            record_id=record.pk,
            market_id=record.market_id,
            actor=user,
            action=CorrectionAction.CORRECTED,
            before=before,
            after=_snapshot(record),
            reason=reason.strip()[:300],
        )
    return record


def _case_follows_correction(
    case: FollowUpCase, record: TestRecord, was_passed: bool, user: User
) -> None:
    """Keep the case in step with a corrected record: its deadline follows the test time; a
    correction to a pass closes it; a correction back to a fail reopens a case that a correction
    had closed (a case closed after disposal stays closed)."""
    case.opened_at = record.tested_at
    case.due_at = record.tested_at + timedelta(hours=case_deadline_hours())
    reopened = False
    if record.passed and case.status == CaseStatus.OPEN:
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.closed_by = user
        case.closing_note = _("Closed: the corrected result is a pass.")[:300]
        case.closed_by_correction = True
    elif (
        not record.passed
        and was_passed
        and case.status == CaseStatus.CLOSED
        and case.closed_by_correction
    ):
        case.status = CaseStatus.OPEN
        case.closed_at = None
        case.closed_by = None
        case.closing_note = ""
        case.closed_by_correction = False
        reopened = True
    with acting_as(user):
        case.save()
    if reopened:
        _notify_case(case)


def _unbump_unreadable(record: TestRecord) -> None:
    """Take a record whose stored test time cannot be read out of the rollups: its count sits
    in a month before January 2000 (the rollups' first month), where an unchecked import put
    it; one such row of its market, product and item gives it back (such a record was a batch
    of its own: an unchecked import wrote no sample codes)."""
    failed = 0 if record.passed else 1
    detail = (
        MonthlyRollup.objects.filter(
            market_id=record.market_id,
            product_id=record.product_id,
            item_id=record.item_id,
            month__lt=FIRST_ROLLUP_MONTH,
            total__gt=0,
        )
        .values_list("pk", flat=True)
        .first()
    )
    if detail is None:
        logger.warning("rapidtest record %s: no rollup month to take it from", record.pk)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rapidtest_marketmonthrollup SET total = total - 1, failed = failed - %s, "
            "batches = batches - 1, batches_failed = batches_failed - %s "
            "WHERE market_id = %s AND month = "
            "(SELECT month FROM rapidtest_monthlyrollup WHERE id = %s)",
            [failed, failed, record.market_id, detail],
        )
        if record.supplier:
            cursor.execute(
                "UPDATE rapidtest_suppliermonthrollup SET total = total - 1, "
                "failed = failed - %s WHERE market_id = %s AND supplier = %s AND month = "
                "(SELECT month FROM rapidtest_monthlyrollup WHERE id = %s)",
                [failed, record.market_id, record.supplier, detail],
            )
        cursor.execute(
            "UPDATE rapidtest_monthlyrollup SET total = total - 1, failed = failed - %s, "
            "batches = batches - 1, batches_failed = batches_failed - %s WHERE id = %s",
            [failed, failed, detail],
        )
    rollups.touch()


def delete_test_record(actor: AnyUser, record: TestRecord, reason: str) -> None:
    """Delete a record (staff), with its case; audited, rollups kept current."""
    if not permissions.can_manage(actor, record.market):
        raise PermissionDenied(_("Only bureau staff of this market's region may delete tests."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the deletion.")]})
    with transaction.atomic():
        found = readable_record(TestRecord.objects.select_for_update(), record.pk)
        if found is None:
            raise TestRecord.DoesNotExist
        record = found
        before = _snapshot(record)
        _lock_samples(record.market_id, record.sample_code)
        if record.tested_at is None:
            _unbump_unreadable(record)
            # Its case copied the unreadable time: give it one it can be read (and audited) with.
            FollowUpCase.objects.filter(record_id=record.pk).update(
                opened_at=record.entered_at, due_at=record.entered_at
            )
            states = None
        else:
            states = {
                (record.market_id, record.sample_code): rollups.batch_state(
                    record.market_id, record.sample_code
                )
            }
        case = FollowUpCase.objects.filter(record=record).first()
        if case is not None:
            with acting_as(_user(actor)):
                case.delete()
        RecordCorrection.objects.create(
            record_id=record.pk,
            market_id=record.market_id,
            actor=_user(actor),
            action=CorrectionAction.DELETED,
            before=before,
            reason=reason.strip()[:300],
        )
        deltas = rollups.Deltas()
        if states is not None:
            rollups.add_test(deltas, record, -1)
        record.delete()
        if states is not None:
            rollups.bump(_batch_deltas(deltas, states))


DISPOSAL_FIELDS = (
    "held_kg",
    "off_sale_kg",
    "destroyed_kg",
    "lab_name",
    "lab_sent_at",
    "lab_result",
    "stall_accepted",
    "supplier_traced",
    "trace_note",
)


def _locked_case(case: FollowUpCase) -> FollowUpCase:
    """The case re-read under a row lock: every check below sees the committed state."""
    return (
        FollowUpCase.objects.select_for_update(of=("self",))
        .select_related("record__item", "record__product", "market")
        .get(pk=case.pk)
    )


def _screen_passed(record: TestRecord) -> bool:
    """The rapid test's own verdict, from the stored value under the item's rule, decided by the
    engine (a qualitative reading is stored as 1 positive, 0 negative)."""
    item = record.item
    if item.is_qualitative:
        return decide("1" if record.value >= 0.5 else "0", item.direction) == Decision.PASS
    return decide(repr(float(record.value)), item.direction, item.threshold) == Decision.PASS


def verdict_passed(record: TestRecord, case: FollowUpCase | None) -> bool:
    """The batch's verdict: the screen's, unless the laboratory did not confirm a positive
    screen, which turns the batch to passed (standards §6.3)."""
    if case is not None and case.lab_result == LabResult.NOT_CONFIRMED:
        return True
    return _screen_passed(record)


def _follow_lab(record: TestRecord, case: FollowUpCase, actor: User | None) -> None:
    """Give the record the verdict the laboratory's outcome implies: the rollups (pass rates,
    the board) follow, and the change is kept as a RecordCorrection with the values before and
    after. Called with the record locked."""
    passed = verdict_passed(record, case)
    if passed == record.passed:
        return
    before = _snapshot(record)
    _lock_samples(record.market_id, record.sample_code)
    states = {
        (record.market_id, record.sample_code): rollups.batch_state(
            record.market_id, record.sample_code
        )
    }
    deltas = rollups.Deltas()
    rollups.add_test(deltas, record, -1)
    record.passed = passed
    record.save(update_fields=["passed"])
    rollups.add_test(deltas, record, +1)
    rollups.bump(_batch_deltas(deltas, states))
    RecordCorrection.objects.create(
        record_id=record.pk,
        market_id=record.market_id,
        actor=actor,
        action=CorrectionAction.LAB_OUTCOME,
        before=before,
        after=_snapshot(record),
        reason=(
            _("Laboratory result: %(result)s (%(lab)s)")
            % {"result": LabResult(case.lab_result).label, "lab": case.lab_name or "—"}
        )[:300],
    )


def update_case(actor: AnyUser, case: FollowUpCase, data: Mapping[str, Any]) -> FollowUpCase:
    """Record what was done with the failed goods and the confirmation outcome (tester or staff
    of the market). A laboratory result of "not confirmed" turns the batch to passed; changing it
    back turns it to failed again (the history is kept)."""
    if not permissions.can_enter(actor, case.market):
        raise PermissionDenied(_("You may not update this case."))
    unknown = set(data) - set(DISPOSAL_FIELDS)
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    user = _user(actor)
    with transaction.atomic():
        # Lock the record first, then the case (the order correct_test_record takes too).
        record = (
            TestRecord.objects.select_for_update().select_related("item").get(pk=case.record_id)
        )
        locked = _locked_case(case)
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError(_("This case is closed."))
        errors: dict[str, list[str]] = {}
        for field, value in data.items():
            if field.endswith("_kg"):
                value = float(value or 0)
                if value < 0:
                    errors.setdefault(field, []).append(_("A weight cannot be negative."))
            setattr(locked, field, value)
        if locked.lab_result not in LabResult.values:
            errors.setdefault("lab_result", []).append(_("Unknown lab result."))
        if errors:
            raise ValidationError(errors)
        if locked.disposed_at is None and (
            locked.held_kg or locked.off_sale_kg or locked.destroyed_kg
        ):
            locked.disposed_at = timezone.now()
        with acting_as(user):
            locked.save()
        _follow_lab(record, locked, user)
    return locked


def close_case(actor: AnyUser, case: FollowUpCase, note: str = "") -> FollowUpCase:
    """Close a case (staff). The positive screen must be settled — confirmed or not confirmed by
    the laboratory, or accepted by the stall — and, unless the laboratory cleared the batch, the
    goods disposed of."""
    if not permissions.can_manage(actor, case.market):
        raise PermissionDenied(_("Only bureau staff of this market's region may close cases."))
    with transaction.atomic():
        case = _locked_case(case)
        if case.status == CaseStatus.CLOSED:
            raise ValidationError(_("This case is already closed."))
        errors: dict[str, list[str]] = {}
        if case.lab_result == LabResult.PENDING:
            errors["lab_result"] = [_("The laboratory result is still pending.")]
        elif not case.is_settled:
            errors["lab_result"] = [
                _(
                    "Record the confirmation outcome before closing: the laboratory's result, "
                    "or that the stall accepted the screening result."
                )
            ]
        if case.disposed_at is None and case.lab_result != LabResult.NOT_CONFIRMED:
            errors["destroyed_kg"] = [_("Record what was done with the goods before closing.")]
        if errors:
            raise ValidationError(errors)
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.closed_by = _user(actor)
        case.closing_note = note.strip()[:300]
        with acting_as(_user(actor)):
            case.save()
    return case


def import_test_records(
    actor: AnyUser,
    file: UploadedFile[Any] | IO[bytes] | str,
    *,
    file_name: str = "",
    market: Organization | None = None,
    source: str = Source.IMPORT,
    synthetic: bool = False,
    progress: Callable[..., None] | None = None,
) -> ImportOutcome:
    """Import a CSV or XLSX file of tests as a whole: every row valid, or nothing saved and
    every bad row listed (row number, column, reason). See :mod:`zhizao.rapidtest.importing`;
    ``progress`` is told the rows read, validated and written (a background job's counters)."""
    # The system actor (the demo loader, scheduled imports) imports for any market.
    allowed = (
        permissions.markets() if is_system_actor(actor) else permissions.private_markets(actor)
    )
    if market is not None and not allowed.filter(pk=market.pk).exists():
        raise PermissionDenied(_("You may not import tests for this market."))
    if not allowed.exists():
        raise PermissionDenied(_("You may not import tests."))
    outcome: ImportOutcome = importing.run(
        _user(actor),
        file,
        file_name=file_name,
        allowed_markets=allowed,
        default_market=market,
        source=source,
        synthetic=synthetic,
        progress=progress,
    )
    return outcome


def now_local() -> datetime:
    return timezone.localtime(timezone.now())
