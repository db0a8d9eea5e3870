from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhizao.core.models import Notification
from zhizao.rapidtest import rollups, services
from zhizao.rapidtest.choices import CaseStatus, LabResult
from zhizao.rapidtest.models import FollowUpCase, RecordCorrection, TestRecord

from .conftest import record_data

pytestmark = pytest.mark.django_db


def test_pass_and_fail_are_computed_by_the_rule(rt):
    ok, created = services.record_test_result(rt.p.tester, record_data(rt, value="49.99"))
    assert created
    assert ok.passed
    bad, _ = services.record_test_result(rt.p.tester, record_data(rt, value="50"))
    assert not bad.passed  # GB/T 5009.199: inhibition ≥ 50% is positive
    assert FollowUpCase.objects.filter(record=bad, status=CaseStatus.OPEN).exists()
    assert not FollowUpCase.objects.filter(record=ok).exists()
    assert Notification.objects.filter(recipient=rt.p.officer).exists()


def test_qualitative_item(rt):
    record, _ = services.record_test_result(
        rt.p.tester, record_data(rt, product=rt.pork, item=rt.clen, value="阳性")
    )
    assert record.value == 1.0
    assert not record.passed


def test_stated_result_contradicting_value_is_rejected(rt):
    with pytest.raises(ValidationError) as error:
        services.record_test_result(rt.p.tester, record_data(rt, value="80", result="合格"))
    assert "result" in error.value.message_dict
    assert not TestRecord.objects.exists()


def test_item_must_fit_product_category(rt):
    with pytest.raises(ValidationError) as error:
        services.record_test_result(rt.p.tester, record_data(rt, product=rt.pork))
    assert "item" in error.value.message_dict


def test_idempotent_client_record_id(rt):
    first, created = services.record_test_result(
        rt.p.tester, record_data(rt, client_record_id="dev1-0001")
    )
    again, created_again = services.record_test_result(
        rt.p.tester, record_data(rt, client_record_id="dev1-0001")
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert TestRecord.objects.count() == 1


def test_tester_only_for_own_market(rt):
    with pytest.raises(PermissionDenied):
        services.record_test_result(rt.p.tester, record_data(rt, market=rt.other_market))
    for name in ("alice", "assessor", "provider"):
        with pytest.raises(PermissionDenied):
            services.record_test_result(getattr(rt.p, name), record_data(rt))
    # 天元区 staff may not enter for the 芦淞区 market, but for the 天元区 one.
    with pytest.raises(PermissionDenied):
        services.record_test_result(rt.p.district_officer, record_data(rt))
    services.record_test_result(rt.p.district_officer, record_data(rt, market=rt.other_market))


def test_instrument_only_room_refuses_manual_entry(rt):
    rt.market.rapidtest_profile.instrument_only = True
    rt.market.rapidtest_profile.save()
    with pytest.raises(ValidationError):
        services.record_test_result(rt.p.tester, record_data(rt))
    services.record_test_result(rt.p.tester, record_data(rt), source="api")


def test_rollup_equals_recount_after_inserts_corrections_deletes(rt):
    records = []
    for index in range(12):
        value = "70" if index % 4 == 0 else "10"
        when = rt.now - timedelta(days=20 * index)
        records.append(
            services.record_test_result(rt.p.tester, record_data(rt, value=value, tested_at=when))[
                0
            ]
        )
    services.record_test_result(
        rt.p.officer,
        record_data(rt, market=rt.other_market, product=rt.pork, item=rt.clen, value="阴性"),
    )
    assert rollups.stored() == rollups.recount()
    # Correct a pass into a fail, a fail into a pass, and move one to another month/product.
    services.correct_test_record(rt.p.officer, records[1], {"value": "90"}, "typo")
    services.correct_test_record(rt.p.officer, records[0], {"value": "5"}, "re-read")
    services.correct_test_record(
        rt.p.officer, records[2], {"tested_at": rt.now - timedelta(days=400)}, "wrong date"
    )
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_market_month() == rollups.recount_market_month()
    assert FollowUpCase.objects.get(record=records[0]).status == CaseStatus.CLOSED
    assert FollowUpCase.objects.filter(record=records[1]).exists()
    services.delete_test_record(rt.p.officer, records[4], "duplicate entry")
    services.delete_test_record(rt.p.officer, records[5], "duplicate entry")
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_market_month() == rollups.recount_market_month()
    assert RecordCorrection.objects.count() == 5


def test_tester_cannot_correct_or_delete(rt):
    record, _ = services.record_test_result(rt.p.tester, record_data(rt))
    with pytest.raises(PermissionDenied):
        services.correct_test_record(rt.p.tester, record, {"value": "1"}, "x")
    with pytest.raises(PermissionDenied):
        services.delete_test_record(rt.p.district_officer, record, "x")


def test_case_disposal_and_close(rt):
    record, _ = services.record_test_result(rt.p.tester, record_data(rt, value="66"))
    case = record.case
    with pytest.raises(ValidationError):
        services.close_case(rt.p.officer, case)
    services.update_case(
        rt.p.tester,
        case,
        {"destroyed_kg": 30, "lab_name": "株洲市食品检验所", "lab_result": LabResult.PENDING},
    )
    with pytest.raises(PermissionDenied):
        services.close_case(rt.p.tester, case)
    with pytest.raises(ValidationError):
        services.close_case(rt.p.officer, case)  # lab pending
    services.update_case(
        rt.p.tester, case, {"lab_result": LabResult.CONFIRMED, "supplier_traced": True}
    )
    services.close_case(rt.p.officer, case, "destroyed, supplier warned")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_by == rt.p.officer
    assert case.history.count() >= 3


def test_case_overdue_after_deadline(rt, settings):
    record, _ = services.record_test_result(
        rt.p.tester, record_data(rt, value="66", tested_at=rt.now - timedelta(hours=80))
    )
    assert record.case.is_overdue
    settings.ZHIZAO_RAPIDTEST_CASE_DEADLINE_HOURS = 100
    record2, _ = services.record_test_result(
        rt.p.tester, record_data(rt, value="66", tested_at=rt.now - timedelta(hours=80))
    )
    assert not record2.case.is_overdue
