"""The award cycle: transitions per role, deadlines, eligibility, conflicts of interest, scoring
and consensus, committee decision, public notice and results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhizao.awards import scoring, services
from zhizao.awards.choices import Outcome, ReviewStage, Status
from zhizao.awards.models import AwardResult, ConflictDeclaration, Transition
from zhizao.awards.tests.conftest import make_assessor, run_stage, score_all, to_material
from zhizao.core.models import Notification
from zhizao.core.testing import make_organization
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db


def test_only_the_applicant_submits(personas, application):
    for name in ("bob", "officer", "assessor", "committee"):
        with pytest.raises(PermissionDenied):
            services.transition(getattr(personas, name), application, Status.SUBMITTED)
    services.transition(personas.alice, application, Status.SUBMITTED)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    log = Transition.objects.get(application=application)
    assert (log.actor, log.from_status, log.to_status) == (personas.alice, "draft", "submitted")
    assert Notification.objects.filter(recipient=personas.officer).exists()


def test_late_submission_is_refused_with_a_clear_message(personas, application, edition):
    edition.submission_deadline = timezone.now() - dt.timedelta(hours=1)
    edition.save()
    with pytest.raises(ValidationError) as error:
        services.transition(personas.alice, application, Status.SUBMITTED)
    assert "late applications are not accepted" in str(error.value)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_submission_needs_the_declaration(personas, edition):
    app = services.create_application(personas.alice, edition, established_on=dt.date(2000, 1, 1))
    services.save_self_assessment(personas.alice, app, "4.1.1", "x")
    with pytest.raises(ValidationError, match="declaration"):
        services.transition(personas.alice, app, Status.SUBMITTED)


def test_illegal_jump_is_refused(personas, application):
    with pytest.raises(ValidationError, match="cannot move"):
        services.transition(personas.officer, application, Status.AWARDED)


def test_staff_roles_and_eligibility(personas, application, edition):
    services.transition(personas.alice, application, Status.SUBMITTED)
    for name in ("alice", "assessor", "committee", "bob"):
        with pytest.raises(PermissionDenied):
            services.transition(getattr(personas, name), application, Status.ELIGIBILITY_REVIEW)
    services.transition(personas.officer, application, Status.ELIGIBILITY_REVIEW)
    with pytest.raises(ValidationError, match="incident check"):
        services.transition(personas.officer, application, Status.MATERIAL_REVIEW)
    services.record_eligibility_check(personas.officer, application, passed=False, note="2023 事故")
    with pytest.raises(ValidationError, match="incident was found"):
        services.transition(personas.officer, application, Status.MATERIAL_REVIEW)
    with pytest.raises(ValidationError, match="reason"):
        services.transition(personas.officer, application, Status.NOT_AWARDED)
    services.transition(personas.officer, application, Status.NOT_AWARDED, "不符合申报条件")
    application.refresh_from_db()
    assert application.status == Status.NOT_AWARDED


def test_years_in_operation_rule(personas, edition):
    app = services.create_application(
        personas.alice, edition, established_on=timezone.localdate() - dt.timedelta(days=400)
    )
    services.save_self_assessment(personas.alice, app, "4.1.1", "x")
    services.update_application(
        personas.alice, app, {"declaration_accepted": True, "declared_no_incident": True}
    )
    services.transition(personas.alice, app, Status.SUBMITTED)
    services.transition(personas.officer, app, Status.ELIGIBILITY_REVIEW)
    services.record_eligibility_check(personas.officer, app, passed=True)
    with pytest.raises(ValidationError, match="years in operation"):
        services.transition(personas.officer, app, Status.MATERIAL_REVIEW)


def test_district_officer_of_another_district_is_refused(personas, edition):
    # org_b is in 石峰区; the 天元区 officer is not responsible for it.
    app = services.create_application(personas.bob, edition, established_on=dt.date(2000, 1, 1))
    services.save_self_assessment(personas.bob, app, "4.1.1", "x")
    services.update_application(
        personas.bob, app, {"declaration_accepted": True, "declared_no_incident": True}
    )
    services.transition(personas.bob, app, Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.transition(personas.district_officer, app, Status.ELIGIBILITY_REVIEW)


def test_conflict_of_interest_is_refused_on_assignment(personas, application):
    app = to_material(personas, application)
    # An assessor from the applicant's parent group's other subsidiary.
    parent = make_organization("甲集团有限公司", personas.city)
    personas.org_a.parent = parent
    personas.org_a.save()
    sister = make_organization("甲集团子公司", personas.city, parent=parent)
    from_sister = make_assessor("sister_assessor", sister)
    from_applicant = make_assessor("own_assessor", personas.org_a)
    from_parent = make_assessor("parent_assessor", parent)
    for assessor in (from_sister, from_applicant, from_parent):
        with pytest.raises(ValidationError, match="Conflict of interest"):
            services.assign_assessor(personas.officer, app, assessor, ReviewStage.MATERIAL)
    # An unrelated assessor is fine until they declare a conflict with the applicant.
    services.assign_assessor(personas.officer, app, personas.assessor, ReviewStage.MATERIAL)
    declarer = make_assessor("declarer")
    services.declare_conflict(declarer, personas.org_a, "曾任该企业顾问")
    with pytest.raises(ValidationError, match="declared a conflict"):
        services.assign_assessor(personas.officer, app, declarer, ReviewStage.MATERIAL)
    assert app.assignments.count() == 1
    # Only staff assign.
    with pytest.raises(PermissionDenied):
        services.assign_assessor(personas.alice, app, make_assessor("x4"), ReviewStage.MATERIAL)


def test_declaring_a_conflict_removes_an_unscored_assignment(personas, application):
    app = to_material(personas, application)
    services.assign_assessor(personas.officer, app, personas.assessor, ReviewStage.MATERIAL)
    services.declare_conflict(personas.assessor, personas.org_a, "亲属任职")
    assert not app.assignments.exists()
    assert ConflictDeclaration.objects.count() == 1


def test_scoring_rules_and_consensus_flag(personas, application, assessors):
    app = to_material(personas, application)
    for user in assessors:
        services.assign_assessor(personas.officer, app, user, ReviewStage.MATERIAL)
    outsider = make_assessor("outsider")
    assignment = app.assignments.get(assessor=assessors[0])
    with pytest.raises(PermissionDenied):
        services.record_scores(outsider, assignment, {"4.1.1": (50, "")})
    with pytest.raises(ValidationError) as error:
        services.record_scores(assessors[0], assignment, {"4.1.1": (52, ""), "9.9": (50, "")})
    assert set(error.value.message_dict) == {"4.1.1", "9.9"}
    score_all(assessors[0], app, ReviewStage.MATERIAL, {"4.4.1": 30})
    score_all(assessors[1], app, ReviewStage.MATERIAL, {"4.4.1": 55})
    score_all(assessors[2], app, ReviewStage.MATERIAL, {"4.4.1": 45})
    view = scoring.consensus_view(app, ReviewStage.MATERIAL)
    rows = {row.code: row for row in view.items}
    assert rows["4.4.1"].spread == 25
    assert rows["4.4.1"].flagged
    assert rows["4.4.1"].mean == pytest.approx(130 / 3)
    assert not rows["4.1.1"].flagged
    assert view.flagged_count == 1
    # 4.4.1 is 60 points: 30% → 18, and every other item 50% of its points.
    assert view.assessor_totals["assessor"] == pytest.approx(470 + 18)
    # Moving on needs the consensus scores.
    with pytest.raises(ValidationError, match="Consensus scores"):
        services.transition(assessors[0], app, Status.ONSITE_REVIEW)
    from zhizao.awards.tests.conftest import consensus_all

    consensus_all(assessors[1], app, ReviewStage.MATERIAL, 45)
    view = scoring.consensus_view(app, ReviewStage.MATERIAL)
    assert view.complete
    assert view.consensus_total == pytest.approx(450)
    # Individual scores are untouched by consensus.
    assert app.assignments.get(assessor=assessors[0]).scores.get(item_code="4.4.1").percent == 30
    with pytest.raises(PermissionDenied):
        services.transition(personas.officer, app, Status.ONSITE_REVIEW)
    services.transition(assessors[2], app, Status.ONSITE_REVIEW)


def _to_committee(personas, application, assessors):
    app = to_material(personas, application)
    app = run_stage(personas, app, ReviewStage.MATERIAL, assessors)
    return run_stage(personas, app, ReviewStage.ONSITE, assessors[:2])


def test_full_cycle_to_award_feeds_the_registry(personas, application, assessors):
    app = _to_committee(personas, application, assessors)
    assert app.status == Status.COMMITTEE_DECISION
    for name in ("officer", "alice", "assessor"):
        with pytest.raises(PermissionDenied):
            services.decide(getattr(personas, name), app, Outcome.AWARD)
    app = services.decide(personas.committee, app, Outcome.AWARD, "评审委员会表决通过")
    assert app.status == Status.PUBLIC_NOTICE
    assert app.notice.objections_open()
    objection = services.record_objection(personas.officer, app, "匿名来信")
    with pytest.raises(ValidationError, match="objection window"):
        services.transition(personas.officer, app, Status.AWARDED)
    services.resolve_objection(personas.officer, objection, upheld=False, resolution="经核查不属实")
    notice = app.notice
    notice.objection_ends_at = timezone.now() - dt.timedelta(minutes=1)
    notice.save()
    with pytest.raises(ValidationError, match="window closed"):
        services.record_objection(personas.officer, app, "迟到的异议")
    with pytest.raises(ValidationError, match="committee decided"):
        services.transition(personas.officer, app, Status.NOMINATED)
    with pytest.raises(PermissionDenied):
        services.transition(personas.committee, app, Status.AWARDED)
    app = services.transition(personas.officer, app, Status.AWARDED)
    result = AwardResult.objects.get(application=app)
    assert result.published_at
    assert result.city == personas.city
    honour = Honour.objects.get(award_result=result)
    assert honour.kind == "mayor_award"
    assert honour.organization == personas.org_a
    statuses = list(app.transitions.values_list("to_status", flat=True))
    assert statuses == [
        "submitted",
        "eligibility_review",
        "material_review",
        "onsite_review",
        "committee_decision",
        "public_notice",
        "awarded",
    ]
    # Revocation with a reason and a public notice; the honour leaves the registry.
    with pytest.raises(PermissionDenied):
        services.revoke_result(personas.alice, result, "x")
    review = services.open_validity_review(personas.officer, result, "incident", "重大质量事故")
    services.close_validity_review(personas.officer, review, "revoked", "发生重大质量安全事故")
    result.refresh_from_db()
    assert result.revoked_at
    assert result.revocation_notice.kind == "revocation"
    assert Honour.objects.standing().filter(award_result=result).count() == 0


def test_committee_can_refuse(personas, application, assessors):
    app = _to_committee(personas, application, assessors)
    with pytest.raises(ValidationError, match="reason"):
        services.decide(personas.committee, app, Outcome.NOT_AWARDED)
    app = services.decide(personas.committee, app, Outcome.NOT_AWARDED, "得分未达线")
    assert app.status == Status.NOT_AWARDED
    assert not AwardResult.objects.exists()


def test_edition_ranking(personas, edition, application, assessors):
    app = to_material(personas, application)
    run_stage(personas, app, ReviewStage.MATERIAL, assessors[:1])
    ranking = scoring.edition_ranking(edition.applications.prefetch_related("consensus_scores"))
    assert [(rank, total) for rank, _app, total in ranking] == [(1, 500.0)]


def test_messages_are_chinese_by_default(personas, application, edition, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "zh-hans"
    edition.submission_deadline = timezone.now() - dt.timedelta(hours=1)
    edition.save()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.transition(personas.alice, application, Status.SUBMITTED)
    assert "逾期申报不予受理" in str(error.value)
    page = personas.client("anonymous").get("/awards/")
    assert "各市累计获奖排名" in page.content.decode()
