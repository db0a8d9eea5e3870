"""The enterprise profile: sections from every app, the public part for everyone and the private
part only for the enterprise's own users and bureau staff of its region, on the page and in the
API; 404 with the reason for a malformed or unknown credit code; search; query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.choices import IndustryChain
from zhizao.core.testing import assert_list_queries, make_organization
from zhizao.enterprise import services
from zhizao.enterprise.choices import EventKind
from zhizao.enterprise.profile import Section, build_profile, register, sections
from zhizao.funds import services as fund_services
from zhizao.funds.choices import Decision
from zhizao.funds.tests.factories import programme
from zhizao.registry import services as registry_services
from zhizao.standards import services as standard_services

pytestmark = pytest.mark.django_db
PUBLIC = {"awards", "honours", "standards", "rapid_tests", "events"}
PRIVATE = {"award_applications", "funds", "officers", "attendance", "performance"}


@pytest.fixture
def records(personas):
    """One record of org A in every app."""
    org = personas.org_a
    mayor = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )
    edition = AwardEdition.objects.create(
        programme=mayor,
        number=3,
        year=2020,
        is_historic=True,
        award_quota=5,
        nomination_quota=5,
    )
    award_services.record_historic_result(
        personas.officer,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="甲测试企业",
        city=personas.city,
        organization=org,
    )
    registry_services.create_honour(
        personas.officer,
        {
            "kind": "luban_award",
            "holder_kind": "project",
            "holder_name": "甲工程",
            "organization": org,
            "city": personas.city,
            "year": 2019,
        },
    )
    standard = standard_services.create_standard(
        personas.officer, {"code": "GB/T 19001-2016", "title": "质量管理体系 要求"}
    )
    standard_services.set_drafter(personas.officer, standard, org, "led")
    fund = programme(personas.tianyuan, code="profile-fund")
    application = fund_services.submit_fund_application(
        personas.alice, fund, org, "标准奖励", "900.00"
    )
    fund_services.review_fund_application(
        personas.district_officer, application, decision=Decision.APPROVE
    )
    fund_services.grant_fund(personas.district_officer, application, "800.00", dt.date(2022, 5, 1))
    services.register_officer(
        personas.alice, org, person_name="王质量", appointed_on=dt.date(2021, 12, 31)
    )
    event = services.record_event(
        personas.district_officer,
        {
            "kind": EventKind.TRAINING,
            "topic": "首席质量官培训",
            "organizer": "天元区",
            "region": personas.tianyuan,
            "held_on": dt.date(2021, 12, 16),
        },
    )
    services.record_attendance(
        personas.district_officer, event, [services.AttendanceRow(org, "王质量")]
    )
    services.report_performance(personas.alice, org, 2020, {"output": "100"})
    services.report_performance(personas.alice, org, 2021, {"output": "110", "patents_valid": 7})
    return org


def keys(part):
    return {data.section.key for data in part if data.rows}


def test_every_app_contributes_a_section():
    registered = {section.key: section.app for section in sections()}
    assert set(registered) >= PUBLIC | PRIVATE
    assert {"awards", "registry", "standards", "rapidtest", "funds", "enterprise"} <= set(
        registered.values()
    )


def test_own_users_and_regional_staff_see_the_private_part(personas, records):
    for name in ("alice", "district_officer", "officer", "admin"):
        profile = build_profile(records, getattr(personas, name))
        assert keys(profile.public) == PUBLIC - {"rapid_tests"}, name
        assert profile.private is not None
        assert keys(profile.private) == PRIVATE - {"award_applications"}, name
    # The private part's rows: the officer's name, the grant, the computed change.
    private = {d.section.key: d.rows for d in build_profile(records, personas.alice).private}
    assert private["officers"][0]["name"] == "王质量"
    assert private["funds"][0]["granted"] == "800.00"
    assert private["performance"][0]["output_yoy"] == 10.0


def test_another_enterprise_and_the_public_see_only_the_public_part(personas, records):
    for name in ("bob", "anonymous", "tester", "assessor", "committee"):
        profile = build_profile(records, getattr(personas, name))
        assert profile.private is None, name
        assert keys(profile.public) == PUBLIC - {"rapid_tests"}, name
    # 石峰区's enterprise is not 天元区 staff's to see privately.
    assert build_profile(personas.org_b, personas.district_officer).private is None


def test_the_page_and_the_api_apply_the_same_rule(personas, records):
    url = reverse("enterprise:profile", args=[records.credit_code])
    api = f"/api/v1/enterprises/{records.credit_code}/profile"
    own = personas.client("alice")
    page = own.get(url).content.decode()
    assert 'id="private-part"' in page
    assert "王质量" in page
    body = own.get(api).json()
    assert {s["key"] for s in body["private"] if s["rows"]} == PRIVATE - {"award_applications"}
    assert body["enterprise"]["credit_code"] == records.credit_code
    for name in ("bob", "anonymous"):
        client = personas.client(name)
        page = client.get(url).content.decode()
        assert 'id="private-part"' not in page
        assert "王质量" not in page
        assert "800.00" not in page
        body = client.get(api).json()
        assert body["private"] is None
        assert "王质量" not in str(body)
        assert {s["key"] for s in body["public"] if s["rows"]} == PUBLIC - {"rapid_tests"}


def test_malformed_and_unknown_credit_codes_are_404_with_the_reason(personas, client):
    unknown = "91430211MA4L1234X" + "0"
    malformed = client.get("/enterprises/91430211ABC/")
    assert malformed.status_code == 404
    assert "has 18 characters; this one has 11" in malformed.content.decode()
    body = client.get("/api/v1/enterprises/91430211ABC/profile").json()
    assert "not a valid unified social credit code" in body["detail"]
    from zhizao.core.demo import synthetic_credit_code

    valid = synthetic_credit_code("无此企业", "430211")
    response = client.get(f"/api/v1/enterprises/{valid}/profile")
    assert response.status_code == 404
    assert (
        response.json()["detail"] == f"No organization is registered with the credit code {valid}."
    )
    assert unknown  # a code with a bad check character is malformed, not unknown
    assert client.get(f"/enterprises/{unknown}/").status_code == 404


def test_search_by_name_code_and_chain(personas):
    make_organization(
        "丙轨道配件有限公司",
        personas.tianyuan,
        name_en="Bing Rail Parts",
        industry_chain=IndustryChain.RAIL_TRANSIT,
    )
    client = personas.client("anonymous")

    def found(query):
        return [row["name"] for row in client.get(f"/api/v1/enterprises?{query}").json()["items"]]

    assert found("q=轨道配件") == ["丙轨道配件有限公司"]
    assert found("q=rail parts") == ["丙轨道配件有限公司"]
    assert found(f"q={personas.org_a.credit_code[:12]}") == [personas.org_a.name]
    assert found(f"q={personas.org_b.credit_code.lower()}") == [personas.org_b.name]
    assert found("chain=rail_transit") == ["丙轨道配件有限公司"]
    page = client.get(reverse("enterprise:search"), {"q": "Bing"}).content.decode()
    assert "丙轨道配件有限公司" in page
    assert (
        "No organization matches"
        in client.get(reverse("enterprise:search"), {"q": "无此名称"}).content.decode()
    )


def test_a_new_app_adds_its_section(personas, records):
    register(
        Section(
            "test_incidents",
            "Incidents",
            60,
            private=True,
            columns=(("what", "what"),),
            rows=lambda org, user: [{"what": org.name}],
        )
    )
    try:
        private = build_profile(records, personas.alice).private
        assert private is not None
        assert [d.rows for d in private if d.section.key == "test_incidents"] == [
            [{"what": records.name}]
        ]
        assert all(
            d.section.key != "test_incidents" for d in build_profile(records, personas.bob).public
        )
    finally:
        from zhizao.enterprise import profile

        profile._SECTIONS.pop("test_incidents")


def test_list_pages_do_not_query_per_row(personas):
    for index in range(12):
        make_organization(
            f"计数轨道企业{index:02d}", personas.tianyuan, industry_chain=IndustryChain.RAIL_TRANSIT
        )
        services.record_event(
            personas.district_officer,
            {
                "kind": EventKind.BRAND_DAY,
                "topic": f"品牌日{index:02d}",
                "organizer": "天元区",
                "region": personas.tianyuan,
                "held_on": dt.date(2022, 5, 10),
            },
        )
    client = personas.client("anonymous")
    names = [f"计数轨道企业{index:02d}" for index in range(12)]
    assert_list_queries(client, "/enterprises/?q=计数轨道", rows=12, max_queries=6, shows=names)
    assert_list_queries(
        client, "/api/v1/enterprises?q=计数轨道", rows=12, max_queries=4, shows=names
    )
    assert_list_queries(
        client,
        reverse("enterprise:events"),
        rows=12,
        max_queries=6,
        shows=[f"品牌日{index:02d}" for index in range(12)],
    )
