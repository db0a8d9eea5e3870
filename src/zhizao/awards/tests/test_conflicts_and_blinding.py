"""Conflicts of interest (the nominee; re-checked on every access) and the blind material review
(per stage; staff warned of an assessor on both stages; the history shows roles, not names)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from zhizao.awards import permissions, services
from zhizao.awards.choices import AwardCategory, Outcome, ReviewStage, Status
from zhizao.awards.tests.conftest import (
    make_application,
    make_assessor,
    run_stage,
    score_all,
    to_committee,
    to_material,
)
from zhizao.core import services as core_services
from zhizao.core.choices import Role
from zhizao.core.models import Person
from zhizao.core.testing import make_organization

pytestmark = pytest.mark.django_db


# --- Conflicts of interest -----------------------------------------------------------------------


def test_the_nominee_cannot_review_their_own_application(personas, edition):
    nominee = Person.objects.create(name="王工", organization=personas.org_a, title="总工程师")
    app = make_application(
        personas.alice, edition, category=AwardCategory.INDIVIDUAL, nominee=nominee
    )
    app = to_material(personas, app)
    # The nominee has since moved to another company; their assessor account is theirs still.
    nominee.organization = personas.org_b
    nominee.save()
    reviewer = make_assessor("wang_reviewer")
    reviewer.person = nominee
    reviewer.save()
    assert "nominee" in (permissions.conflict_of_interest(reviewer, app) or "")
    with pytest.raises(ValidationError, match="nominee"):
        services.assign_assessor(personas.officer, app, reviewer, ReviewStage.MATERIAL)


@pytest.fixture
def assigned(personas, application):
    """Alice's application in material review with ``personas.assessor`` assigned."""
    app = to_material(personas, application)
    services.assign_assessor(personas.officer, app, personas.assessor, ReviewStage.MATERIAL)
    return app


def test_a_conflict_arising_after_assignment_closes_the_application(personas, assigned):
    client = personas.client("assessor")
    detail = reverse("awards:application_detail", args=[assigned.pk])
    scoring = reverse("awards:scoring", args=[assigned.pk, "material"])
    consensus = reverse("awards:consensus", args=[assigned.pk, "material"])
    scores_api = f"/api/v1/awards/applications/{assigned.pk}/scores"
    for url in (detail, scoring, consensus, scores_api):
        assert client.get(url).status_code == 200, url
    # The assessor takes a job at the applicant.
    personas.assessor.organization = personas.org_a
    personas.assessor.save()
    client = personas.client("assessor")
    for url in (detail, scoring, consensus, scores_api):
        assert client.get(url).status_code in (403, 404), url
    assert assigned.code not in client.get(reverse("awards:application_list")).content.decode()
    assert client.get("/api/v1/awards/applications").json()["count"] == 0
    with pytest.raises(PermissionDenied, match="Conflict of interest"):
        score_all(personas.assessor, assigned, ReviewStage.MATERIAL, 50)


def test_a_declared_conflict_with_the_applicants_group_closes_it_too(personas, assigned):
    parent = make_organization("甲集团有限公司", personas.tianyuan)
    score_all(personas.assessor, assigned, ReviewStage.MATERIAL, 50)  # scored: not removed
    services.declare_conflict(personas.assessor, parent, "曾任顾问")
    core_services.update_organization(personas.admin, personas.org_a, {"parent": parent})
    client = personas.client("assessor")
    assert client.get(reverse("awards:application_detail", args=[assigned.pk])).status_code == 404


# --- Blind material review, per stage -------------------------------------------------------------


@pytest.fixture
def blind(personas, edition, application):
    edition.blind_material_review = True
    edition.save()
    app = to_material(personas, application)
    for stage in (ReviewStage.MATERIAL, ReviewStage.ONSITE):
        services.assign_assessor(personas.officer, app, personas.assessor, stage)
    return app


def _pages(personas, app, stage="material"):
    client = personas.client("assessor")
    urls = [
        reverse("awards:application_list"),
        reverse("awards:application_detail", args=[app.pk]),
        reverse("awards:scoring", args=[app.pk, stage]),
        reverse("awards:consensus", args=[app.pk, stage]),
        reverse("awards:edition_detail", args=[app.edition_id]),
    ]
    pages = {url: client.get(url) for url in urls}
    assert all(page.status_code == 200 for page in pages.values())
    api = client.get("/api/v1/awards/applications").json()["items"]
    return {url: page.content.decode() for url, page in pages.items()}, api


def test_material_review_stays_blind_for_an_assessor_also_on_site(personas, blind):
    pages, api = _pages(personas, blind)
    for url, html in pages.items():
        assert personas.org_a.name not in html, url
    assert api[0]["applicant"] is None
    others = [make_assessor("assessor2"), make_assessor("assessor3")]
    app = run_stage(personas, blind, ReviewStage.MATERIAL, [personas.assessor, *others])
    assert app.status == Status.ONSITE_REVIEW
    # On site the visit reveals the applicant; the material review's pages stay blind.
    pages, api = _pages(personas, app, stage="onsite")
    assert personas.org_a.name in pages[reverse("awards:application_detail", args=[app.pk])]
    assert personas.org_a.name in pages[reverse("awards:scoring", args=[app.pk, "onsite"])]
    assert api[0]["applicant"] == personas.org_a.name
    material = personas.client("assessor").get(reverse("awards:scoring", args=[app.pk, "material"]))
    assert personas.org_a.name not in material.content.decode()


def test_a_material_only_assessor_never_sees_the_applicant(personas, blind):
    reader = make_assessor("reader")
    services.assign_assessor(personas.officer, blind, reader, ReviewStage.MATERIAL)
    others = [personas.assessor, make_assessor("assessor3")]
    app = run_stage(personas, blind, ReviewStage.MATERIAL, [reader, *others])
    client = Client()
    client.force_login(reader)
    html = client.get(reverse("awards:application_detail", args=[app.pk])).content.decode()
    assert personas.org_a.name not in html
    assert client.get("/api/v1/awards/applications").json()["items"][0]["applicant"] is None


def test_staff_are_warned_of_an_assessor_on_both_stages(personas, edition, application):
    edition.blind_material_review = True
    edition.save()
    app = to_material(personas, application)
    url = reverse("awards:application_action", args=[app.pk, "assign"])
    client = personas.client("officer")
    first = client.post(url, {"assessor": personas.assessor.pk, "stage": "material"}, follow=True)
    assert "both the material and the on-site review" not in first.content.decode()
    second = client.post(url, {"assessor": personas.assessor.pk, "stage": "onsite"}, follow=True)
    html = second.content.decode()
    assert html.count("both the material and the on-site review") == 2  # message and panel
    assert 'data-warning="both-stages"' in html


def test_the_applicants_history_shows_roles_not_names(personas, application):
    reviewers = [make_assessor("expert_wang"), make_assessor("expert_zhao")]
    member = core_services.create_user(
        username="member_li", password="persona-password", role=Role.COMMITTEE
    )
    app = to_committee(personas, application, reviewers)
    services.decide(member, app, Outcome.NOT_AWARDED, "得分未达线")
    html = personas.client("alice").get(reverse("awards:application_detail", args=[app.pk]))
    text = html.content.decode()
    for name in ("expert_wang", "expert_zhao", "member_li"):
        assert name not in text
    assert "Assessor" in text
    assert "Award committee member" in text
    staff = personas.client("officer").get(reverse("awards:application_detail", args=[app.pk]))
    assert "expert_wang (Assessor)" in staff.content.decode()


def test_applications_api_pages_in_the_database(personas, edition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user in (personas.alice, personas.bob):
        make_application(user, edition)
    client = personas.client("officer")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/awards/applications", {"limit": 1}).json()
    assert body["count"] == 2
    assert len(body["items"]) == 1
    listed = [q["sql"] for q in queries if 'FROM "awards_application"' in q["sql"]]
    assert any("LIMIT 1" in sql for sql in listed)
    assert all("LIMIT" in sql or "COUNT(" in sql.upper() for sql in listed)


def _conflict_notices(user):
    from zhizao.core.models import Notification

    return Notification.objects.filter(recipient=user, template__code="awards-conflict-found")


def test_staff_are_told_when_an_assessors_person_moves_to_the_applicant(personas, assigned):
    person = Person.objects.create(name="张评审", organization=personas.org_b)
    personas.assessor.person = person
    personas.assessor.save()
    assert not _conflict_notices(personas.officer).exists()
    core_services.save_person(personas.admin, person, {"organization": personas.org_a})
    (notice,) = _conflict_notices(personas.officer)
    assert "assessor" in notice.body
    assert assigned.code in notice.body
    assert _conflict_notices(personas.district_officer).count() == 1
    # Changing the person again without a new conflict tells no one more.
    core_services.save_person(personas.admin, person, {"title": "高级工程师"})
    assert _conflict_notices(personas.officer).count() == 1


def test_staff_are_told_when_the_applicant_joins_the_assessors_group(personas, assigned):
    employer = make_organization("丙控股集团有限公司", personas.tianyuan)
    personas.assessor.organization = employer
    personas.assessor.save()
    core_services.update_organization(personas.admin, personas.org_a, {"parent": employer})
    assert _conflict_notices(personas.officer).count() == 1
    assert (
        personas.client("assessor")
        .get(reverse("awards:application_detail", args=[assigned.pk]))
        .status_code
        != 200
    )
