"""The profile sections of the apps with records about an organization (sampling, the quality
infrastructure, incidents, engineering, plans), on records these tests make: their public part
for everyone, their private part only for the organization's own users and bureau staff of its
region, on the page and in the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhizao.core.testing import make_organization
from zhizao.engineering import services as engineering_services
from zhizao.engineering.choices import ProjectKind
from zhizao.enterprise.profile import build_profile, sections
from zhizao.funds.tests.factories import programme
from zhizao.incidents import services as incident_services
from zhizao.incidents.choices import Domain
from zhizao.nqi import services as nqi_services
from zhizao.nqi.choices import AwardGrade, BodyLevel, CommitteeKind, StandardAwardKind
from zhizao.plans.tests import factories as plan_factories
from zhizao.sampling import services as sampling_services
from zhizao.sampling.choices import AuthorityLevel
from zhizao.sampling.choices import Domain as SamplingDomain

pytestmark = pytest.mark.django_db
NEW_PUBLIC = {"sampling_results", "quality_infrastructure"}
NEW_PRIVATE = {
    "sampled_batches",
    "standardization_rewards",
    "onestop_requests",
    "incidents",
    "engineering_projects",
}
SECRETS = ("R-PROFILE-1", "扭力扳手校准", "电梯困人", "甲厂房工程", "60000.00")


@pytest.fixture
def records(personas):
    """Org A (天元区) in every app that has records about an organization."""
    org = personas.org_a
    lab = sampling_services.create_lab(personas.officer, personas.provider_org, cma_number="C-9")
    plan = sampling_services.create_plan(
        personas.officer,
        categories={"电动机": 5},
        year=2021,
        domain=SamplingDomain.INDUSTRIAL,
        title="工业产品抽检计划",
        authority="株洲市市场监督管理局",
        level=AuthorityLevel.CITY,
        region=personas.city,
        lab=lab,
    )
    sampling_services.record_batch(
        personas.officer,
        plan,
        sampling_services.BatchInput(
            category="电动机",
            producer=org,
            seller=personas.org_b,
            product="三相异步电动机",
            sampled_on=dt.date(2021, 6, 1),
            report_number="R-PROFILE-1",
            region=personas.tianyuan,
            items=[sampling_services.ItemInput(name="绝缘电阻", verdict="合格")],
        ),
    )
    nqi_services.create_committee(
        personas.officer,
        {"number": "SAC/TC 601", "name": "示例电机标准化技术委员会", "secretariat": org,
         "level": BodyLevel.NATIONAL, "kind": CommitteeKind.TECHNICAL_COMMITTEE},
    )  # fmt: skip
    nqi_services.record_standard_award(
        personas.district_officer,
        {"kind": StandardAwardKind.PROVINCIAL_CONTRIBUTION, "level": BodyLevel.PROVINCIAL,
         "year": 2021, "grade": AwardGrade.FIRST, "title": "电机标准体系", "recipient": org},
    )  # fmt: skip
    fund = programme(personas.tianyuan, code="profile-reward-2021", year=2021)
    nqi_services.record_reward_grant(
        personas.district_officer,
        {"programme": fund, "recipient": org, "amount": Decimal("60000.00"),
         "paid_on": dt.date(2021, 6, 1), "reason": "主导制定国家标准"},
    )  # fmt: skip
    nqi_services.file_request(personas.alice, "40 把扭力扳手校准")
    incident_services.record_incident(
        personas.officer,
        domain=Domain.SPECIAL_EQUIPMENT,
        title="电梯困人",
        occurred_on=dt.date(2021, 3, 1),
        region=personas.tianyuan,
        parties=[incident_services.Party(org)],
    )
    engineering_services.create_project(
        personas.officer,
        name="甲厂房工程",
        kind=ProjectKind.CONSTRUCTION,
        region=personas.tianyuan,
        builder=org,
    )
    return org


def keys(part):
    return {data.section.key for data in part if data.rows}


def test_the_apps_with_organization_records_have_sections():
    registered = {section.key: section.app for section in sections()}
    assert set(registered) >= NEW_PUBLIC | NEW_PRIVATE | {"department_work"}
    assert {"sampling", "nqi", "incidents", "engineering", "plans"} <= set(registered.values())


def test_own_users_and_regional_staff_see_every_new_section(personas, records):
    for name in ("alice", "district_officer", "officer"):
        profile = build_profile(records, getattr(personas, name))
        assert keys(profile.public) >= NEW_PUBLIC, name
        assert profile.private is not None
        assert keys(profile.private) >= NEW_PRIVATE, name
    private = {d.section.key: d.rows for d in build_profile(records, personas.alice).private}
    assert private["standardization_rewards"][0]["amount"] == "60000.00"
    assert private["sampled_batches"][0]["report"] == "R-PROFILE-1"
    assert private["incidents"][0]["title"] == "电梯困人"
    assert private["engineering_projects"][0]["role"] == "builder"
    public = {d.section.key: d.rows for d in build_profile(records, personas.alice).public}
    assert public["sampling_results"] == [
        {"year": 2021, "batches": 1, "produced": 1, "sold": 0, "conforming": 1, "synthetic": False}
    ]
    assert {row["name"] for row in public["quality_infrastructure"]} == {
        "SAC/TC 601 示例电机标准化技术委员会",
        "电机标准体系",
    }


def test_another_enterprise_and_the_public_see_only_the_public_sections(personas, records):
    for name in ("bob", "anonymous", "tester"):
        profile = build_profile(records, getattr(personas, name))
        assert profile.private is None, name
        assert keys(profile.public) == NEW_PUBLIC, name
    # The seller's (B's) own view of A: A's public part only, though B sold the batch.
    assert build_profile(records, personas.bob).private is None
    # 石峰区's staff are not A's region: public part only.
    assert build_profile(personas.org_b, personas.district_officer).private is None


def test_the_page_and_the_api_show_the_new_sections_with_the_same_rule(personas, records):
    url = reverse("enterprise:profile", args=[records.credit_code])
    api = f"/api/v1/enterprises/{records.credit_code}/profile"
    own = personas.client("alice")
    body = own.get(api).json()
    assert {s["key"] for s in body["public"] if s["rows"]} >= NEW_PUBLIC
    assert {s["key"] for s in body["private"] if s["rows"]} >= NEW_PRIVATE
    page = own.get(url).content.decode()
    for secret in SECRETS:
        assert secret in page, secret
    for name in ("bob", "anonymous"):
        client = personas.client(name)
        body = client.get(api).json()
        assert body["private"] is None
        assert {s["key"] for s in body["public"] if s["rows"]} == NEW_PUBLIC
        page = client.get(url).content.decode()
        text = client.get(api).content.decode()
        for secret in SECRETS:
            assert secret not in page, (name, secret)
            assert secret not in text, (name, secret)
        assert "示例电机标准化技术委员会" in page


def test_a_department_shows_its_plan_work_privately(personas):
    department = plan_factories.department("株洲市测试局", personas.tianyuan)
    _plan, task = plan_factories.plan_with_task(
        personas.city, department, deadline=dt.date(2023, 12, 31)
    )
    plan_factories.education_data_set(department)
    other = make_organization("丙测试企业有限公司", personas.tianyuan)
    rows = {
        d.section.key: d.rows for d in build_profile(department, personas.officer).private or []
    }
    assert [row["title"] for row in rows["department_work"]] == [task.title]
    assert build_profile(department, personas.bob).private is None
    assert not {
        d.section.key: d.rows for d in build_profile(other, personas.officer).private or []
    }["department_work"]
