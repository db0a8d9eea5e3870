"""Query counts of the registry's pages and API lists, on more rows than the bound: one query
per row (honour, kind or award result) cannot pass (see assert_list_queries in
core/testing.py)."""

import pytest
from django.urls import reverse

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.testing import assert_list_queries
from zhizao.registry import services
from zhizao.registry.choices import AWARD_KINDS, HonourKind
from zhizao.registry.services import ARTICLE_KINDS

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def honours(personas):
    """Twelve Luban awards of org A, and one honour of every other kind typed by hand."""
    made = [
        services.create_honour(
            personas.officer,
            {
                "kind": HonourKind.LUBAN_AWARD,
                "holder_kind": "project",
                "holder_name": f"计数工程{index:02d}",
                "organization": personas.org_a,
                "city": personas.city,
                "year": 2000 + index,
            },
        )
        for index in range(ROWS)
    ]
    for kind in ARTICLE_KINDS:
        if kind != HonourKind.LUBAN_AWARD and kind not in AWARD_KINDS:
            services.create_honour(
                personas.officer,
                {
                    "kind": kind,
                    "holder_kind": "organization",
                    "holder_name": f"计数{kind}",
                    "city": personas.city,
                },
            )
    return made


def test_honours_page_and_api_counts(personas, honours):
    client = personas.client("anonymous")
    kinds = len(ARTICLE_KINDS)
    assert kinds > 10
    assert_list_queries(
        client,
        reverse("registry:honours"),
        rows=kinds,
        max_queries=6,
        shows=[f'data-kind="{kind}"' for kind in ARTICLE_KINDS],
    )
    assert_list_queries(
        client,
        "/api/v1/registry/counts",
        rows=kinds,
        max_queries=3,
        shows=[f'"kind": "{kind}"' for kind in ARTICLE_KINDS],
    )


def test_kind_page_and_api_honours(personas, honours):
    client = personas.client("anonymous")
    names = [honour.holder_name for honour in honours]
    assert_list_queries(
        client,
        reverse("registry:kind", args=[HonourKind.LUBAN_AWARD]),
        rows=ROWS,
        max_queries=6,
        shows=names,
    )
    assert_list_queries(
        client,
        "/api/v1/registry/honours?kind=luban_award&limit=500",
        rows=ROWS,
        max_queries=5,
        shows=names,
    )


def test_organization_profile(personas, honours):
    programme = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )
    for number in range(1, ROWS + 1):
        edition = AwardEdition.objects.create(
            programme=programme,
            number=number,
            year=2000 + number,
            is_historic=True,
            award_quota=50,
            nomination_quota=50,
        )
        award_services.record_historic_result(
            personas.officer,
            edition,
            category=AwardCategory.ORGANIZATION,
            outcome=Outcome.AWARD,
            name_as_awarded=f"计数获奖名{number:02d}",
            organization=personas.org_a,
            city=personas.city,
        )
    assert_list_queries(
        personas.client("anonymous"),
        reverse("registry:organization", args=[personas.org_a.pk]),
        rows=ROWS,
        max_queries=6,
        shows=[honour.holder_name for honour in honours]
        + [f"计数获奖名{number:02d}" for number in range(1, ROWS + 1)],
    )
