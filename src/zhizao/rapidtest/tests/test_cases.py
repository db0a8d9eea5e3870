"""Follow-up cases (不合格处置): overdue cases, updates and closes under a lock, the laboratory's
confirmation outcome (standards §6.3: a positive screen is suspected until confirmed; "not
confirmed" turns the batch to passed) and cases that follow corrections of their record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhizao.core.testing import spy_row_locks
from zhizao.rapidtest import figures, rollups, services
from zhizao.rapidtest.choices import CaseStatus, CorrectionAction, LabResult
from zhizao.rapidtest.models import FollowUpCase, MarketMonthRollup, RecordCorrection, TestRecord
from zhizao.rapidtest.tests.conftest import record_data

pytestmark = pytest.mark.django_db


def _failed(rt, **extra):
    record, _created = services.record_test_result(
        rt.p.tester, record_data(rt, value="66", **extra)
    )
    assert not record.passed
    return record, FollowUpCase.objects.get(record=record)


def _failed_this_month(rt):
    return MarketMonthRollup.objects.get(market=rt.market, month=rollups.month_of(rt.now)).failed


# --- Overdue -------------------------------------------------------------------------------------


def test_overdue_list_shows_cases_disposed_of_late(rt):
    _late, late = _failed(rt, tested_at=rt.now - timedelta(hours=100))
    _on_time, on_time = _failed(rt, tested_at=rt.now - timedelta(hours=100))
    _open, still_open = _failed(rt, tested_at=rt.now - timedelta(hours=100))
    FollowUpCase.objects.filter(pk=late.pk).update(disposed_at=late.due_at + timedelta(hours=5))
    FollowUpCase.objects.filter(pk=on_time.pk).update(
        disposed_at=on_time.due_at - timedelta(hours=5)
    )
    page = rt.p.client("officer").get(reverse("rapidtest:cases"), {"overdue": "1"})
    shown = {case.pk for case in page.context["page"]}
    assert shown == {late.pk, still_open.pk}
    assert {c.pk for c in FollowUpCase.objects.all() if c.is_overdue} == shown


# --- Check-then-act under a lock ------------------------------------------------------------------


def test_an_update_loaded_before_a_close_does_not_reopen_the_case(rt):
    _record, case = _failed(rt)
    services.update_case(rt.p.tester, case, {"destroyed_kg": 30, "lab_result": LabResult.CONFIRMED})
    stale = FollowUpCase.objects.get(pk=case.pk)  # the tester's form, loaded before the close
    services.close_case(rt.p.officer, FollowUpCase.objects.get(pk=case.pk), "处置完毕")
    with pytest.raises(ValidationError, match="closed"):
        services.update_case(rt.p.tester, stale, {"trace_note": "已追溯"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.trace_note == ""


def test_a_close_loaded_before_an_update_checks_the_committed_state(rt):
    _record, case = _failed(rt)
    services.update_case(rt.p.tester, case, {"destroyed_kg": 30, "lab_result": LabResult.CONFIRMED})
    stale = FollowUpCase.objects.get(pk=case.pk)  # the officer's page, loaded before …
    services.update_case(rt.p.tester, case, {"lab_result": LabResult.PENDING})  # … this change
    with pytest.raises(ValidationError, match="pending"):
        services.close_case(rt.p.officer, stale, "处置完毕")
    case.refresh_from_db()
    assert (case.status, case.lab_result) == (CaseStatus.OPEN, LabResult.PENDING)


def test_case_services_lock_their_rows(rt, monkeypatch):
    _record, case = _failed(rt)
    lock_requests = spy_row_locks(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        services.update_case(rt.p.tester, case, {"destroyed_kg": 30})
    assert FollowUpCase in lock_requests  # asked on every database; sent to PostgreSQL below
    del lock_requests[:]
    with CaptureQueriesContext(connection) as closing:
        services.update_case(rt.p.tester, case, {"lab_result": LabResult.CONFIRMED})
        services.close_case(rt.p.officer, case)
    assert lock_requests.count(FollowUpCase) >= 2  # the update and the close each lock it
    if connection.vendor == "postgresql":  # SQLite serialises writers and has no FOR UPDATE
        for captured in (queries, closing):
            locked = [q["sql"] for q in captured if "FOR UPDATE" in q["sql"]]
            assert any('"rapidtest_followupcase"' in sql for sql in locked)


# --- The laboratory's confirmation -------------------------------------------------------------


def test_a_positive_screen_is_suspected_until_settled(rt):
    record, case = _failed(rt)
    record = TestRecord.objects.select_related("case").get(pk=record.pk)
    assert record.verdict_label.startswith("Suspected")
    services.update_case(rt.p.tester, case, {"lab_result": LabResult.CONFIRMED})
    record = TestRecord.objects.select_related("case").get(pk=record.pk)
    assert record.verdict_label == "Fail"


def test_not_confirmed_turns_the_batch_to_passed_and_back(rt):
    record, case = _failed(rt)
    services.record_test_result(rt.p.tester, record_data(rt))  # a pass beside it
    assert _failed_this_month(rt) == 1
    assert figures.board(rt.market)["week_counts"]["failed"] == 1

    services.update_case(
        rt.p.tester, case, {"lab_name": "株洲市食品检验所", "lab_result": LabResult.NOT_CONFIRMED}
    )
    record.refresh_from_db()
    assert record.passed
    assert record.value == 66  # the screen's reading is kept
    assert _failed_this_month(rt) == 0
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_market_month() == rollups.recount_market_month()
    assert figures.board(rt.market)["week_counts"]["failed"] == 0
    change = RecordCorrection.objects.get(record_id=record.pk)
    assert change.action == CorrectionAction.LAB_OUTCOME
    assert change.before is not None
    assert change.after is not None
    assert (change.before["passed"], change.after["passed"]) == (False, True)
    assert "株洲市食品检验所" in change.reason
    board = rt.p.client("anonymous").get(reverse("rapidtest:board", args=[rt.market.pk]))
    assert "Suspected" not in board.content.decode()

    # A mistaken entry set right: confirmed after all, the batch fails again.
    services.update_case(rt.p.tester, case, {"lab_result": LabResult.CONFIRMED})
    record.refresh_from_db()
    assert not record.passed
    assert _failed_this_month(rt) == 1
    assert rollups.stored() == rollups.recount()
    assert RecordCorrection.objects.filter(record_id=record.pk).count() == 2


def test_closing_needs_a_confirmation_outcome_or_the_stalls_acceptance(rt):
    _record, case = _failed(rt)
    services.update_case(rt.p.tester, case, {"destroyed_kg": 30})
    with pytest.raises(ValidationError, match="confirmation outcome"):
        services.close_case(rt.p.officer, case)
    services.update_case(rt.p.tester, case, {"stall_accepted": True})
    services.close_case(rt.p.officer, case, "摊主认可结果，已销毁")
    assert FollowUpCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_a_batch_cleared_by_the_lab_closes_without_disposal(rt):
    _record, case = _failed(rt)
    services.update_case(rt.p.tester, case, {"lab_result": LabResult.NOT_CONFIRMED})
    services.close_case(rt.p.officer, case, "复检合格，解除暂扣")
    assert FollowUpCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_the_case_page_records_the_stalls_acceptance(rt):
    _record, case = _failed(rt)
    url = reverse("rapidtest:case_detail", args=[case.pk])
    rt.p.client("tester").post(
        url, {"action": "update", "destroyed_kg": "30", "stall_accepted": "on", "lab_result": ""}
    )
    case.refresh_from_db()
    assert case.stall_accepted
    assert case.disposed_at
    rt.p.client("officer").post(url, {"action": "close", "note": "摊主认可"})
    assert FollowUpCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED


# --- Cases follow corrections --------------------------------------------------------------------


def test_correcting_the_test_time_moves_the_deadline(rt, settings):
    record, case = _failed(rt)
    earlier = rt.now - timedelta(days=2)
    services.correct_test_record(rt.p.officer, record, {"tested_at": earlier}, "录错日期")
    case.refresh_from_db()
    assert case.opened_at == earlier
    assert case.due_at == earlier + timedelta(hours=settings.ZHIZAO_RAPIDTEST_CASE_DEADLINE_HOURS)


def test_a_correction_back_to_fail_reopens_the_case_it_closed(rt):
    record, case = _failed(rt)
    services.correct_test_record(rt.p.officer, record, {"value": "12"}, "读数录错")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    services.correct_test_record(rt.p.officer, record, {"value": "70"}, "原读数正确")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.closed_at is None
    assert case.closed_by is None
    assert FollowUpCase.objects.filter(record=record).count() == 1


def test_a_case_closed_after_disposal_stays_closed(rt):
    record, case = _failed(rt)
    services.update_case(rt.p.tester, case, {"destroyed_kg": 30, "lab_result": LabResult.CONFIRMED})
    services.close_case(rt.p.officer, case, "已销毁")
    services.correct_test_record(rt.p.officer, record, {"value": "12"}, "读数录错")
    services.correct_test_record(rt.p.officer, record, {"value": "70"}, "原读数正确")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closing_note == "已销毁"


def test_a_correction_keeps_the_labs_clearance(rt):
    record, case = _failed(rt)
    services.update_case(rt.p.tester, case, {"lab_result": LabResult.NOT_CONFIRMED})
    services.correct_test_record(rt.p.officer, record, {"value": "70"}, "读数更正")
    record.refresh_from_db()
    assert record.passed
    assert rollups.stored() == rollups.recount()


def test_records_api_counts_from_the_rollups(rt):
    for _index in range(3):
        services.record_test_result(rt.p.tester, record_data(rt))
    client = rt.p.client("officer")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/rapidtest/records", {"limit": 2}).json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    counts = [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"].upper() and "rapidtest_testrecord" in q["sql"]
    ]
    assert counts == []
    # A filter the rollups cannot express is still counted exactly.
    assert client.get("/api/v1/rapidtest/records", {"supplier": "无此供货商"}).json()["count"] == 0
