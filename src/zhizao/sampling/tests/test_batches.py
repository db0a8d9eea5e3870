"""Recording batches: the verdict follows from the items (one failed item fails the batch,
and the database refuses a passed batch with a failed item), standards by parsed code, the
permission check and the all-or-nothing rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhizao.sampling import services
from zhizao.sampling.choices import CaseStatus, Verdict
from zhizao.sampling.models import NonConformityCase, SampledBatch, TestItem
from zhizao.standards import services as standard_services

pytestmark = pytest.mark.django_db


def test_one_failed_item_fails_the_batch(smp):
    good = services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.49"))
    bad = services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.51"))
    assert (good.verdict, good.failed_items) == (Verdict.PASS, 0)
    assert (bad.verdict, bad.failed_items) == (Verdict.FAIL, 1)
    assert list(bad.items.values_list("verdict", flat=True)) == [Verdict.FAIL, Verdict.PASS]
    # The failed batch opened its case; the passed one none.
    assert NonConformityCase.objects.get().batch == bad
    assert NonConformityCase.objects.get().status == CaseStatus.OPEN


def test_a_failed_qualitative_item_fails_the_batch(smp):
    data = smp.batch_input()
    data.items[1].verdict = "不合格"
    batch = services.record_batch(smp.p.officer, smp.plan, data)
    assert batch.verdict == Verdict.FAIL


def test_the_database_refuses_a_passed_batch_with_a_failed_item(smp):
    batch = services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.9"))
    with pytest.raises(IntegrityError), transaction.atomic():
        SampledBatch.objects.filter(pk=batch.pk).update(verdict=Verdict.PASS)


def test_a_verdict_that_contradicts_its_value_is_refused(smp):
    data = smp.batch_input(value="0.9")
    data.items[0].verdict = "合格"
    with pytest.raises(ValidationError) as raised:
        services.record_batch(smp.p.officer, smp.plan, data)
    assert "contradicts the value 0.9" in raised.value.message_dict["items.0.verdict"][0]
    assert not SampledBatch.objects.exists()


def test_an_item_without_a_numeric_limit_needs_the_labs_verdict(smp):
    data = smp.batch_input(value="无", limit="应符合规定")
    with pytest.raises(ValidationError) as raised:
        services.record_batch(smp.p.officer, smp.plan, data)
    assert "give the lab's verdict" in raised.value.message_dict["items.0.verdict"][0]


def test_standards_are_parsed_and_linked_to_the_registry(smp):
    standard_services.create_standard(
        smp.p.officer, {"code": "GB 6675.1-2014", "title": "玩具安全 第1部分：基本规范"}
    )
    data = smp.batch_input(standards=["GB6675.1—2014", "GB/T 9999-2000", "GB 6675.1-2014"])
    batch = services.record_batch(smp.p.officer, smp.plan, data)
    rows = {s.code: s.standard for s in batch.standards.all()}
    assert set(rows) == {"GB 6675.1-2014", "GB/T 9999-2000"}
    assert rows["GB 6675.1-2014"] is not None
    assert rows["GB/T 9999-2000"] is None
    with pytest.raises(ValidationError) as raised:
        services.record_batch(smp.p.officer, smp.plan, smp.batch_input(standards=["XX 1"]))
    assert raised.value.message_dict["standards"][0].startswith("XX 1: ")


def test_batches_are_all_or_nothing(smp):
    inputs = [smp.batch_input(), smp.batch_input(category="不在计划中"), smp.batch_input()]
    inputs[2].report_number = inputs[0].report_number
    with pytest.raises(ValidationError) as raised:
        services.record_batches(smp.p.officer, smp.plan, inputs)
    errors = raised.value.message_dict
    assert "no product category 不在计划中" in errors["1.category"][0]
    assert "appears twice" in errors["2.report_number"][0]
    assert not SampledBatch.objects.exists()
    assert not TestItem.objects.exists()


def test_a_report_number_is_recorded_once_per_lab(smp):
    services.record_batch(smp.p.officer, smp.plan, smp.batch_input(report_number="R-9"))
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_batch(smp.p.officer, smp.plan, smp.batch_input(report_number="R-9"))


def test_the_date_must_lie_in_the_plans_year(smp):
    import datetime as dt

    data = smp.batch_input(sampled_on=dt.date(smp.year - 1, 6, 1))
    with pytest.raises(ValidationError) as raised:
        services.record_batch(smp.p.officer, smp.plan, data)
    assert "outside the plan's year" in raised.value.message_dict["sampled_on"][0]


def test_only_staff_of_the_plans_region_record_batches(smp):
    for name in ("district_officer", "alice", "tester", "provider", "assessor"):
        with pytest.raises(PermissionDenied):
            services.record_batch(getattr(smp.p, name), smp.plan, smp.batch_input())
    assert not SampledBatch.objects.exists()


def test_the_batch_history_names_the_actor(smp):
    batch = services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.7"))
    assert batch.history.get().history_user == smp.p.officer
    assert NonConformityCase.objects.get().history.get().history_user == smp.p.officer
