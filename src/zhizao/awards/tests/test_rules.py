"""Workflow rules of the award cycle: who acts on which level, the edition's quotas, the moves
offered to each user, and check-then-act services that re-read their row under a lock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhizao.awards import scoring, services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome, Status
from zhizao.awards.models import (
    Application,
    AwardEdition,
    AwardProgramme,
    AwardResult,
    Objection,
    PublicNotice,
)
from zhizao.awards.tests.conftest import (
    make_application,
    provincial_officer,
    run_stage,
    to_committee,
)
from zhizao.core.actors import system_actor
from zhizao.core.models import Region
from zhizao.core.testing import spy_row_locks

pytestmark = pytest.mark.django_db


def _programme(code, level, region, rank):
    return AwardProgramme.objects.create(
        code=code, name=code, level=level, region=region, rank=rank
    )


def _edition(programme, **extra):
    return AwardEdition.objects.create(
        programme=programme,
        number=1,
        year=timezone.localdate().year,
        is_historic=True,
        award_quota=9,
        **extra,
    )


def _draft_result(edition, city):
    """An unpublished result (publish=False), recorded by the demo loader."""
    return services.record_historic_result(
        system_actor(),
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="某某公司",
        city=city,
        publish=False,
    )


@pytest.fixture
def levels(personas):
    province = Region.objects.get(code="430000")
    return {
        AwardLevel.CITY: _edition(_programme("city-award", AwardLevel.CITY, personas.city, 1)),
        AwardLevel.PROVINCIAL: _edition(
            _programme("governor-award", AwardLevel.PROVINCIAL, province, 2)
        ),
        AwardLevel.NATIONAL: _edition(_programme("china-award", AwardLevel.NATIONAL, None, 3)),
    }


def _acts(actor, edition, city, admin):
    """Try every level-scoped service on ``edition`` (the state each needs set up by the
    superuser); True if all succeed, False if all are refused (a mix fails the test)."""
    draft = _draft_result(edition, city)
    published = services.record_historic_result(
        admin,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="已公布的获奖单位",
        city=city,
    )
    under_review = services.record_historic_result(
        admin,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="复核中的获奖单位",
        city=city,
    )
    review = services.open_validity_review(admin, under_review, "incident", "事故")
    now = timezone.now()
    calls = [
        lambda: services.update_edition(actor, edition, {"objection_days": 5}),
        lambda: services.create_edition(
            actor,
            edition.programme,
            {
                "number": 99,
                "year": 2026,
                "opens_at": now,
                "submission_deadline": now + dt.timedelta(days=30),
                "objection_days": 7,
            },
        ),
        lambda: services.record_historic_result(
            actor,
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded="记录的获奖单位",
            city=city,
        ),
        lambda: services.publish_result(actor, draft),
        lambda: services.open_validity_review(actor, published, "incident", "事故"),
        lambda: services.close_validity_review(actor, review, "confirmed", "经核查维持"),
        lambda: services.revoke_result(actor, published, "撤销"),
    ]
    outcomes = []
    for call in calls:
        try:
            call()
        except PermissionDenied:
            outcomes.append(False)
        else:
            outcomes.append(True)
    assert len(set(outcomes)) == 1, outcomes
    return outcomes[0]


def test_district_officer_acts_on_no_level(personas, levels):
    for edition in levels.values():
        assert not _acts(personas.district_officer, edition, personas.city, personas.admin)


def test_city_officer_acts_on_city_awards_only(personas, levels):
    assert _acts(personas.officer, levels[AwardLevel.CITY], personas.city, personas.admin)
    assert not _acts(personas.officer, levels[AwardLevel.PROVINCIAL], personas.city, personas.admin)
    assert not _acts(personas.officer, levels[AwardLevel.NATIONAL], personas.city, personas.admin)


def test_provincial_officer_acts_on_provincial_and_its_cities_national_results(personas, levels):
    province = provincial_officer()
    assert _acts(province, levels[AwardLevel.PROVINCIAL], personas.city, personas.admin)
    assert _acts(province, levels[AwardLevel.CITY], personas.city, personas.admin)
    # National: the province records its own cities' results; the editions are the superuser's.
    national = levels[AwardLevel.NATIONAL]
    beijing = Region.objects.get(code="110000")
    with pytest.raises(PermissionDenied):
        services.update_edition(province, national, {"objection_days": 5})
    services.publish_result(province, _draft_result(national, personas.city))
    with pytest.raises(PermissionDenied):
        services.publish_result(province, _draft_result(national, beijing))
    assert _acts(personas.admin, national, beijing, personas.admin)


def test_district_officer_cannot_confer_but_city_officer_can(personas, application, assessors):
    app = to_committee(personas, application, assessors)
    app = services.decide(personas.committee, app, Outcome.AWARD, "表决通过")
    PublicNotice.objects.filter(applications=app).update(
        objection_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    app.refresh_from_db()
    # 天元区's officer manages alice's application but does not confer the city's award.
    assert Status.AWARDED not in services.allowed_transitions(personas.district_officer, app)
    with pytest.raises(PermissionDenied):
        services.transition(personas.district_officer, app, Status.AWARDED)
    assert services.allowed_transitions(personas.officer, app) == [
        Status.AWARDED,
        Status.NOT_AWARDED,
    ]
    services.transition(personas.officer, app, Status.AWARDED)
    assert AwardResult.objects.get(application=app).published_at


def test_edition_page_offers_settings_only_to_the_programme_bureau(personas, levels):
    edition = levels[AwardLevel.PROVINCIAL]
    url = reverse("awards:edition_detail", args=[edition.pk])
    assert 'id="edition-form"' not in personas.client("officer").get(url).content.decode()
    response = personas.client("officer").post(url, {"objection_days": 3})
    assert response.status_code == 403
    client = personas.client("officer")
    page = client.get(reverse("awards:edition_detail", args=[levels[AwardLevel.CITY].pk]))
    assert 'id="edition-form"' in page.content.decode()


# --- Quotas --------------------------------------------------------------------------------------


def _second_to_committee(personas, edition, assessors):
    app = make_application(personas.bob, edition)
    app = services.transition(personas.bob, app, Status.SUBMITTED)
    app = services.transition(personas.officer, app, Status.ELIGIBILITY_REVIEW)
    services.record_eligibility_check(personas.officer, app, passed=True, note="无事故")
    app = services.transition(personas.officer, app, Status.MATERIAL_REVIEW)
    app = run_stage(personas, app, "material", assessors)
    return run_stage(personas, app, "onsite", assessors[:2])


def test_nomination_quota_zero_refuses_a_nomination(personas, edition, application, assessors):
    edition.award_quota, edition.nomination_quota = 3, 0
    edition.save()
    app = to_committee(personas, application, assessors)
    assert [value for value, _label in scoring.decision_outcomes(app)] == [
        Outcome.AWARD,
        Outcome.NOT_AWARDED,
    ]
    with pytest.raises(ValidationError, match="quota is 0"):
        services.decide(personas.committee, app, Outcome.NOMINATION, "表决")
    app.refresh_from_db()
    assert app.status == Status.COMMITTEE_DECISION
    assert not PublicNotice.objects.exists()
    page = personas.client("committee").get(reverse("awards:application_detail", args=[app.pk]))
    assert 'value="nomination"' not in page.content.decode()


def test_award_quota_counts_notices_and_results(personas, edition, application, assessors):
    edition.award_quota = 1
    edition.save()
    first = to_committee(personas, application, assessors)
    second = _second_to_committee(personas, edition, assessors)
    services.decide(personas.committee, first, Outcome.AWARD, "表决")
    # The first is under public notice: the only award place is taken.
    with pytest.raises(ValidationError, match="quota"):
        services.decide(personas.committee, second, Outcome.AWARD, "表决")
    assert scoring.decision_outcomes(second) == [
        (Outcome.NOMINATION.value, str(Outcome.NOMINATION.label)),
        (Outcome.NOT_AWARDED.value, str(Outcome.NOT_AWARDED.label)),
    ]


def test_quota_is_enforced_at_publication(personas, edition, application, assessors):
    edition.award_quota = 1
    edition.save()
    app = to_committee(personas, application, assessors)
    services.decide(personas.committee, app, Outcome.AWARD, "表决")
    PublicNotice.objects.filter(applications=app).update(
        objection_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    # Meanwhile a result of this edition was recorded and published: no place is left.
    services.record_historic_result(
        personas.officer,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="先录入的获奖单位",
        city=personas.city,
    )
    app.refresh_from_db()
    blocked = [m for m in services.moves(personas.officer, app) if m.to_status == Status.AWARDED]
    assert blocked
    assert "quota" in " ".join(blocked[0].problems)
    with pytest.raises(ValidationError, match="quota"):
        services.transition(personas.officer, app, Status.AWARDED)
    assert not AwardResult.objects.filter(application=app).exists()
    draft = _draft_result(edition, personas.city)
    with pytest.raises(ValidationError, match="quota"):
        services.publish_result(personas.officer, draft)
    with pytest.raises(ValidationError, match="quota"):
        services.record_historic_result(
            personas.officer,
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded="超额",
            city=personas.city,
        )


# --- Moves offered --------------------------------------------------------------------------------


def _page(personas, name, app):
    return (
        personas.client(name).get(reverse("awards:application_detail", args=[app.pk])).content
    ).decode()


def test_committee_gets_the_decision_form_not_a_not_awarded_button(
    personas, application, assessors
):
    app = to_committee(personas, application, assessors)
    assert services.allowed_transitions(personas.committee, app) == []
    html = _page(personas, "committee", app)
    assert 'id="decision"' in html
    assert "data-to=" not in html
    with pytest.raises(ValidationError, match="decision form"):
        services.transition(personas.committee, app, Status.NOT_AWARDED, "得分低")


def test_officer_at_public_notice_is_offered_only_what_is_possible(
    personas, application, assessors
):
    app = to_committee(personas, application, assessors)
    app = services.decide(personas.committee, app, Outcome.NOMINATION, "表决")
    html = _page(personas, "officer", app)
    # The committee decided a nomination: no "awarded" anywhere; "nominated" waits for the window.
    assert 'data-to="awarded"' not in html
    assert 'data-blocked="awarded"' not in html
    assert 'data-to="nominated"' not in html
    assert 'data-blocked="nominated"' in html
    assert "objection window is open" in html
    assert 'data-to="not_awarded"' in html
    PublicNotice.objects.filter(applications=app).update(
        objection_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    html = _page(personas, "officer", app)
    assert 'data-to="nominated"' in html
    # Every move offered is one the service takes.
    app.refresh_from_db()
    for move in services.moves(personas.officer, app):
        assert move.possible == (
            move.to_status in services.allowed_transitions(personas.officer, app)
        )
    services.transition(personas.officer, app, Status.NOMINATED)


# --- Check-then-act under a lock ------------------------------------------------------------------


def test_a_stale_decision_is_refused(personas, application, assessors):
    app = to_committee(personas, application, assessors)
    stale = Application.objects.get(pk=app.pk)  # loaded before the other member's decision
    services.decide(personas.committee, app, Outcome.AWARD, "表决")
    with pytest.raises(ValidationError, match="not awaiting"):
        services.decide(personas.committee, stale, Outcome.NOMINATION, "表决")
    app.refresh_from_db()
    assert (app.status, app.proposed_outcome) == (Status.PUBLIC_NOTICE, Outcome.AWARD)
    assert PublicNotice.objects.count() == 1


def test_a_stale_objection_resolution_is_refused(personas, application, assessors):
    app = to_committee(personas, application, assessors)
    app = services.decide(personas.committee, app, Outcome.AWARD, "表决")
    objection = services.record_objection(personas.officer, app, "来信")
    stale = Objection.objects.get(pk=objection.pk)
    services.resolve_objection(personas.officer, objection, upheld=True, resolution="属实")
    with pytest.raises(ValidationError, match="already resolved"):
        services.resolve_objection(personas.officer, stale, upheld=False, resolution="不属实")
    objection.refresh_from_db()
    assert (objection.status, objection.resolution) == ("upheld", "属实")


def test_a_stale_revocation_is_refused(personas, edition):
    result = services.record_historic_result(
        personas.officer,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="某公司",
        city=personas.city,
    )
    stale = AwardResult.objects.get(pk=result.pk)
    services.revoke_result(personas.officer, result, "第一次")
    with pytest.raises(ValidationError, match="already revoked"):
        services.revoke_result(personas.officer, stale, "第二次")
    assert PublicNotice.objects.filter(kind="revocation").count() == 1


def test_decisions_lock_their_rows(personas, application, assessors, monkeypatch):
    app = to_committee(personas, application, assessors)
    locked = spy_row_locks(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        services.decide(personas.committee, app, Outcome.AWARD, "表决")
    assert Application in locked  # asked on every database ...
    assert AwardEdition in locked
    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    if (
        connection.vendor == "postgresql"
    ):  # ... and sent to PostgreSQL  # SQLite serialises writers and has no FOR UPDATE
        assert any('"awards_application"' in sql for sql in locking)
        assert any('"awards_awardedition"' in sql for sql in locking)
