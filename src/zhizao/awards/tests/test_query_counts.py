"""Query counts of the awards list pages and API lists, on more rows than the bound: one query
per row cannot pass (see assert_list_queries in core/testing.py). Each list is read as the
persona for whom its per-row work runs (the application list as the assessor of a blind
review)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory, AwardLevel, NoticeKind, Outcome, ReviewStage
from zhizao.awards.models import AwardEdition, AwardProgramme, PublicNotice
from zhizao.awards.tests.factories import applications_in_material_review
from zhizao.core.testing import assert_list_queries
from zhizao.indicators.excellence import GBT19580_2012_ITEMS

pytestmark = pytest.mark.django_db

ROWS = 12


def test_api_applications_as_the_assessor_of_a_blind_review(personas, edition):
    edition.blind_material_review = True
    edition.save()
    applications = applications_in_material_review(personas, edition)
    response = assert_list_queries(
        personas.client("assessor"),
        "/api/v1/awards/applications?limit=500",
        rows=ROWS,
        max_queries=8,
        shows=[app.code for app in applications],
    )
    assert {row["applicant"] for row in response.json()["items"]} == {None}


@pytest.fixture
def programmes(personas):
    """Twelve city programmes, each with one edition and one standing award of the city."""
    made = []
    for index in range(ROWS):
        programme = AwardProgramme.objects.create(
            code=f"count-award-{index:02d}",
            name=f"计数质量奖{index:02d}",
            level=AwardLevel.CITY,
            region=personas.city,
            rank=1,
        )
        edition = AwardEdition.objects.create(
            programme=programme,
            number=index + 1,
            year=2000 + index,
            is_historic=True,
            award_quota=50,
            nomination_quota=50,
        )
        services.record_historic_result(
            personas.officer,
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded=f"计数获奖企业{index:02d}",
            organization=personas.org_a,
            city=personas.city,
        )
        made.append(programme)
    return made


def test_edition_list_and_api_editions(personas, programmes):
    client = personas.client("officer")
    names = [f"计数质量奖{index:02d}" for index in range(ROWS)]
    assert_list_queries(
        client, reverse("awards:edition_list"), rows=ROWS, max_queries=8, shows=names
    )
    assert_list_queries(
        client,
        "/api/v1/awards/editions?limit=500",
        rows=ROWS,
        max_queries=6,
        shows=[f'"year": {2000 + index},' for index in range(ROWS)],
    )


def test_tallies_page_and_api(personas, programmes):
    winners = [f"计数获奖企业{index:02d}" for index in range(ROWS)]
    client = personas.client("anonymous")
    assert_list_queries(
        client,
        "/api/v1/awards/tallies",
        rows=ROWS,
        max_queries=6,
        shows=[programme.code for programme in programmes],
    )
    assert_list_queries(client, reverse("awards:tallies"), rows=ROWS, max_queries=10, shows=winners)


def test_api_programmes_and_results(personas, programmes):
    client = personas.client("anonymous")
    assert_list_queries(
        client,
        "/api/v1/awards/programmes",
        rows=ROWS,
        max_queries=4,
        shows=[programme.code for programme in programmes],
    )
    assert_list_queries(
        client,
        "/api/v1/awards/results?limit=500",
        rows=ROWS,
        max_queries=4,
        shows=[f"计数获奖企业{index:02d}" for index in range(ROWS)],
    )


def test_edition_detail_lists_its_results_and_applications(personas, edition):
    applications = applications_in_material_review(personas, edition)
    edition.award_quota = ROWS  # every result recorded below fits the edition's quota
    edition.save()
    for index in range(ROWS):
        services.record_historic_result(
            personas.officer,
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded=f"本届获奖企业{index:02d}",
            city=personas.city,
        )
    assert_list_queries(
        personas.client("officer"),
        reverse("awards:edition_detail", args=[edition.pk]),
        rows=ROWS,
        max_queries=10,
        shows=[app.code for app in applications]
        + [f"本届获奖企业{index:02d}" for index in range(ROWS)],
    )


def test_notice_list(personas, edition):
    for index in range(ROWS):
        PublicNotice.objects.create(
            edition=edition,
            kind=NoticeKind.PRE_AWARD,
            title=f"计数公示{index:02d}",
            objection_ends_at=timezone.now() + dt.timedelta(days=7),
            published_by=personas.officer,
        )
    assert_list_queries(
        personas.client("anonymous"),
        reverse("awards:notices"),
        rows=ROWS,
        max_queries=6,
        shows=[f"计数公示{index:02d}" for index in range(ROWS)],
    )


def test_api_scores(personas, edition, assessors):
    from zhizao.awards.tests.conftest import score_all

    (app,) = applications_in_material_review(personas, edition, count=1)
    for assessor in assessors[1:]:
        services.assign_assessor(personas.officer, app, assessor, ReviewStage.MATERIAL)
    for assessor in assessors:
        score_all(assessor, app, ReviewStage.MATERIAL, 50)
    rows = len(assessors) * len(GBT19580_2012_ITEMS)
    response = assert_list_queries(
        personas.client("officer"),
        f"/api/v1/awards/applications/{app.pk}/scores",
        rows=rows,
        max_queries=10,
    )
    assert len(response.json()) == rows
    assert {row["assessor"] for row in response.json()} == {a.username for a in assessors}
