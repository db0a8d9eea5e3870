"""The follow-up of a non-conforming batch: notice (told on commit), re-test within the legal
period, rectification, follow-up sampling and closure, with deadlines and overdue flags; early
warnings at a producer's second failure in a year; the award review of a winner that fails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome, ReviewTrigger
from zhizao.awards.models import AwardEdition, AwardProgramme, ValidityReview
from zhizao.core.models import MessageDelivery, Notification
from zhizao.core.testing import make_organization
from zhizao.sampling import choices, services
from zhizao.sampling.choices import CaseStatus, Domain, Grouping, Verdict
from zhizao.sampling.models import EarlyWarning, NonConformityCase, SampledBatch

pytestmark = pytest.mark.django_db


def _failed_case(smp, **extra):
    batch = services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.8", **extra))
    return NonConformityCase.objects.get(batch=batch)


def test_the_notice_tells_producer_and_seller_on_commit(smp, django_capture_on_commit_callbacks):
    smp.p.alice.email = "alice@example.invalid"
    smp.p.alice.save()
    case = _failed_case(smp, region=smp.p.shifeng)  # sampled in 石峰区: not 天元区's staff
    for name in ("district_officer", "alice", "tester", "assessor"):
        with pytest.raises(PermissionDenied):
            services.send_notice(getattr(smp.p, name), case)
    assert NonConformityCase.objects.get(pk=case.pk).status == CaseStatus.OPEN
    with django_capture_on_commit_callbacks() as queued:
        notified = services.send_notice(smp.p.officer, case)
    assert notified.status == CaseStatus.NOTIFIED
    # Products: 15 days from the notice to ask for a re-test.
    assert notified.retest_due == timezone.localdate() + dt.timedelta(days=15)
    assert notified.due_on == notified.retest_due
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "alice",
        "bob",
    }
    assert MessageDelivery.objects.get().address == "alice@example.invalid"
    assert len(queued) == 1
    assert notified.history.latest().history_user == smp.p.officer
    with pytest.raises(ValidationError, match="not open"):
        services.send_notice(smp.p.officer, case)


def test_food_retest_period_is_seven_working_days(smp):
    smp.plan.domain = Domain.FOOD_SAFETY_SUPERVISORY
    smp.plan.save()
    case = _failed_case(smp)
    notified = services.send_notice(smp.p.officer, case)
    assert notified.retest_due == services.working_days_after(timezone.localdate(), 7)
    assert services.working_days_after(dt.date(2021, 12, 3), 7) == dt.date(2021, 12, 14)


def test_retest_overturns_the_batch_and_the_case_closes(smp):
    case = _failed_case(smp)
    services.send_notice(smp.p.officer, case)
    with pytest.raises(PermissionDenied):
        services.request_retest(smp.p.tester, case)
    requested = services.request_retest(smp.p.alice, case, "对结果有异议")
    assert requested.status == CaseStatus.RETEST_REQUESTED
    assert requested.history.latest().history_user == smp.p.alice
    with pytest.raises(ValidationError, match="another laboratory"):
        services.record_retest(
            smp.p.officer, case, conforms=True, lab=smp.lab.organization.name, report_number="F-1"
        )
    with pytest.raises(ValidationError, match="not open"):
        services.close_case(smp.p.officer, case)
    services.record_retest(
        smp.p.officer, case, conforms=True, lab="湖南省检验院", report_number="F-1"
    )
    batch = SampledBatch.objects.get(pk=case.batch_id)
    assert batch.verdict == Verdict.FAIL
    assert batch.overturned_on_retest
    assert batch.passed
    [row] = services.pass_rates(SampledBatch.objects.all(), Grouping.DOMAIN)
    assert (row.passed, row.total, row.rate) == (1, 1, 100.0)
    closed = services.close_case(smp.p.officer, case, "复检合格")
    assert closed.status == CaseStatus.CLOSED
    assert closed.closed_by == smp.p.officer


def test_the_retest_period_ends(smp):
    case = _failed_case(smp)
    services.send_notice(smp.p.officer, case)
    with pytest.raises(ValidationError, match="runs until"):
        services.order_rectification(smp.p.officer, case)
    NonConformityCase.objects.filter(pk=case.pk).update(
        retest_due=timezone.localdate() - dt.timedelta(days=1),
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    assert NonConformityCase.objects.overdue().get() == case
    assert NonConformityCase.objects.get(pk=case.pk).overdue
    with pytest.raises(ValidationError, match="period ended"):
        services.request_retest(smp.p.alice, case)
    rectifying = services.order_rectification(smp.p.officer, case)
    assert rectifying.rectification_due == timezone.localdate() + dt.timedelta(days=30)
    assert not NonConformityCase.objects.overdue().exists()


def test_rectification_and_follow_up_sampling(smp):
    case = _failed_case(smp)
    services.send_notice(smp.p.officer, case)
    services.request_retest(smp.p.officer, case)
    services.record_retest(
        smp.p.officer, case, conforms=False, lab="湖南省检验院", report_number="F-2"
    )
    with pytest.raises(PermissionDenied):
        services.report_rectification(smp.p.bob.__class__.objects.get(username="tester"), case, "x")
    with pytest.raises(ValidationError):
        services.report_rectification(smp.p.alice, case, " ")
    services.report_rectification(smp.p.alice, case, "更换原料供应商")
    other = make_organization("丙测试企业有限公司", smp.p.tianyuan)
    foreign = services.record_batch(smp.p.officer, smp.plan, smp.batch_input(producer=other))
    with pytest.raises(ValidationError, match="another producer"):
        services.record_follow_up(smp.p.officer, case, foreign)
    follow = services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.8"))
    services.record_follow_up(smp.p.officer, case, follow)
    with pytest.raises(ValidationError, match="does not conform"):
        services.close_case(smp.p.officer, case)
    NonConformityCase.objects.filter(pk=case.pk).update(status=CaseStatus.RECTIFIED)
    good = services.record_batch(smp.p.officer, smp.plan, smp.batch_input())
    services.record_follow_up(smp.p.officer, case, good)
    assert services.close_case(smp.p.officer, case).status == CaseStatus.CLOSED


def test_a_second_failure_in_a_year_raises_one_warning(smp, django_capture_on_commit_callbacks):
    smp.p.officer.email = "officer@example.invalid"
    smp.p.officer.save()
    services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.8"))
    services.record_batch(
        smp.p.officer, smp.plan, smp.batch_input(producer=smp.p.org_b, value="0.8")
    )
    assert not EarlyWarning.objects.exists()
    with django_capture_on_commit_callbacks() as queued:
        services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.9"))
    warning = EarlyWarning.objects.get()
    assert (warning.producer, warning.year, warning.failed_batches) == (smp.p.org_a, smp.year, 2)
    # officer (city) and district_officer (天元区, org A's district) are told.
    recipients = set(
        Notification.objects.filter(template__code=choices.MSG_WARNING).values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"officer", "district_officer"}
    assert len(queued) == 1
    services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.9"))
    warning.refresh_from_db()
    assert warning.failed_batches == 3
    assert EarlyWarning.objects.count() == 1


@pytest.fixture
def award(personas):
    programme = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
        validity_years=3,
    )
    edition = AwardEdition.objects.create(
        programme=programme,
        number=1,
        year=timezone.localdate().year - 1,
        is_historic=True,
        award_quota=5,
        nomination_quota=5,
    )
    return award_services.record_historic_result(
        personas.officer,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded=personas.org_a.name,
        organization=personas.org_a,
        city=personas.city,
    )


def test_a_failed_batch_of_an_award_winner_raises_the_awards_review(smp, award):
    services.record_batch(smp.p.officer, smp.plan, smp.batch_input())  # conforms: no review
    assert not ValidityReview.objects.exists()
    summary = services.record_batches(smp.p.officer, smp.plan, [smp.batch_input(value="0.8")])
    [review] = summary.reviews
    assert (review.result, review.trigger, review.opened_by) == (
        award,
        ReviewTrigger.FAILED_SAMPLING,
        smp.p.officer,
    )
    assert "R-002" in review.note
    # One open review per award: a second failure adds none.
    services.record_batch(smp.p.officer, smp.plan, smp.batch_input(value="0.8"))
    assert ValidityReview.objects.count() == 1
    # A winner whose failure its actor may not review is counted, not reviewed: the district
    # plan's staff do not administer the Mayor's award.
    district_plan = services.create_plan(
        smp.p.district_officer,
        categories={"儿童玩具": 1},
        year=smp.year,
        domain=Domain.CONSUMER_GOODS,
        title="天元区抽检",
        authority="天元区市场监督管理局",
        level="district",
        region=smp.p.tianyuan,
        lab=smp.lab,
    )
    ValidityReview.objects.update(outcome="confirmed")
    skipped = services.record_batches(
        smp.p.district_officer, district_plan, [smp.batch_input(value="0.8")]
    )
    assert (skipped.reviews, skipped.reviews_skipped) == ([], 1)
