"""The honours registry: award kinds come only from results; public page and drill-down."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.registry import services
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db


def test_award_kinds_are_not_typed(personas):
    with pytest.raises(ValidationError, match="published award results"):
        services.create_honour(
            personas.officer,
            {
                "kind": "governor_award",
                "holder_kind": "organization",
                "holder_name": "x",
                "city": personas.city,
            },
        )
    with pytest.raises(PermissionDenied):
        services.create_honour(
            personas.alice,
            {
                "kind": "luban_award",
                "holder_kind": "project",
                "holder_name": "x",
                "city": personas.city,
            },
        )


def test_page_counts_and_drill_down(personas):
    services.create_honour(
        personas.officer,
        {
            "kind": "luban_award",
            "holder_kind": "project",
            "holder_name": "示例工程",
            "city": personas.city,
            "year": 2021,
        },
    )
    client = personas.client("anonymous")
    page = client.get(reverse("registry:honours")).content.decode()
    assert 'data-kind="luban_award"' in page
    drill = client.get(reverse("registry:kind", args=["luban_award"])).content.decode()
    assert "示例工程" in drill
    assert client.get(reverse("registry:kind", args=["nonsense"])).status_code == 404
    counts = {row["kind"]: row["count"] for row in client.get("/api/v1/registry/counts").json()}
    assert counts["luban_award"] == 1
    assert counts["furong_award"] == 0


# --- Award results flow into the registry ------------------------------------------------------


@pytest.fixture
def governor_edition(personas):
    province = personas.city.parent
    programme = AwardProgramme.objects.create(
        code="hunan-governor-quality-award",
        name="湖南省省长质量奖",
        level=AwardLevel.PROVINCIAL,
        region=province,
        rank=2,
    )
    return AwardEdition.objects.create(programme=programme, number=7, year=2022, award_quota=8)


def _count(client, kind):
    rows = client.get("/api/v1/registry/counts").json()
    return next(row["count"] for row in rows if row["kind"] == kind)


def test_a_published_award_result_enters_the_registry_and_a_revoked_one_leaves(
    personas, governor_edition
):
    from zhizao.core.services import create_user

    # Provincial results are recorded by the province's bureau staff.
    province = create_user(
        username="province_officer",
        password=None,
        role="bureau_staff",
        region=governor_edition.programme.region,
    )
    client = personas.client("anonymous")
    result = award_services.record_historic_result(
        province,
        governor_edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded=personas.org_a.name,
        organization=personas.org_a,
        city=personas.city,
        publish=False,
    )
    assert _count(client, "governor_award") == 0  # not yet published: not an honour
    award_services.publish_result(province, result)
    assert _count(client, "governor_award") == 1
    honour = Honour.objects.get(award_result=result)
    assert (honour.year, honour.organization, honour.level) == (2022, personas.org_a, "provincial")
    drill = client.get(reverse("registry:kind", args=["governor_award"])).content.decode()
    assert personas.org_a.name in drill
    profile = client.get(reverse("registry:organization", args=[personas.org_a.pk]))
    assert "2022" in profile.content.decode()

    award_services.revoke_result(province, result, "重大质量安全事故")
    assert _count(client, "governor_award") == 0
    drill = client.get(reverse("registry:kind", args=["governor_award"])).content.decode()
    assert personas.org_a.name not in drill


def test_only_staff_record_honours_and_markup_is_refused(personas):
    data = {
        "kind": "furong_award",
        "holder_kind": "project",
        "holder_name": "<b>工程</b>",
        "city": personas.city,
        "year": 2021,
    }
    with pytest.raises(ValidationError) as error:
        services.create_honour(personas.officer, data)
    assert "holder_name" in error.value.message_dict
    for name in ("alice", "tester", "assessor", "committee"):
        with pytest.raises(PermissionDenied):
            services.create_honour(getattr(personas, name), {**data, "holder_name": "工程"})
    honour = services.create_honour(personas.officer, {**data, "holder_name": "株洲某工程"})
    assert honour.level  # set from the kind, never typed
    assert honour.history.latest().history_user == personas.officer


def test_the_demo_registry_lists_the_articles_honours(db):
    call_command("demo", only="core")
    call_command("demo", only="registry")
    call_command("demo", only="awards")
    counts = {row["kind"]: row["count"] for row in Client().get("/api/v1/registry/counts").json()}
    # 株洲方阵 as the article lists it (award kinds computed from the loaded award results).
    assert counts == {
        "china_quality_award": 1,
        "china_quality_award_nomination": 1,
        "governor_award": 7,
        "mayor_award": 18,
        "national_benchmark": 2,
        "provincial_industrial_benchmark": 5,
        "luban_award": 4,
        "furong_award": 49,
        "madrid_trademark": 43,
        "well_known_trademark": 41,
        "gi_protected_product": 1,
        "gi_certification_mark": 19,
    }
