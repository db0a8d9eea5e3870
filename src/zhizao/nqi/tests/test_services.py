"""Registers, the capability search and the one-stop request workflow, on records these tests
make: role checks, state checks, audit, notifications on commit, figures and the dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhizao.core import figures
from zhizao.core.models import Notification
from zhizao.funds.choices import ProgrammeKind
from zhizao.funds.models import FundGrant
from zhizao.funds.tests import factories as fund_factories
from zhizao.nqi import capability, dashboard, services
from zhizao.nqi.choices import (
    AwardGrade,
    BodyLevel,
    CommitteeKind,
    Designation,
    Element,
    PilotKind,
    RequestStatus,
    Scheme,
    Stage,
    StandardAwardKind,
)
from zhizao.nqi.models import OneStopPilot, RewardGrant, ServiceRequest, TechnicalCommittee

pytestmark = pytest.mark.django_db


def test_committee_numbers_are_checked_and_counted(personas: Any) -> None:
    data = {"name": "示例", "level": BodyLevel.NATIONAL, "secretariat": personas.org_a,
            "kind": CommitteeKind.TECHNICAL_COMMITTEE}  # fmt: skip
    tc = services.create_committee(personas.officer, {**data, "number": "sac / tc278"})
    assert tc.number == "SAC/TC 278"
    with pytest.raises(ValidationError, match="SAC/TC 278"):
        services.create_committee(personas.officer, {**data, "number": "TC-278"})
    with pytest.raises(ValidationError, match="ISO/IEC"):
        services.create_committee(
            personas.officer,
            {**data, "number": "SAC/TC 1", "kind": CommitteeKind.MIRROR_COMMITTEE},
        )
    with pytest.raises(PermissionDenied):  # 乙 is in 石峰区, not 天元区
        services.create_committee(
            personas.district_officer, {**data, "number": "SAC/TC 2", "secretariat": personas.org_b}
        )
    with pytest.raises(PermissionDenied):
        services.create_committee(personas.alice, {**data, "number": "SAC/TC 3"})
    assert tc.history.latest().history_user == personas.officer
    national = figures.get("nqi.national_tcs")
    assert national is not None
    assert national.compute(personas.city, 2021).value == 1
    assert national.compute(personas.shifeng, 2021).value == 0


def test_grants_are_exact_decimals(personas: Any) -> None:
    fund_factories.programme(personas.tianyuan, code="tianyuan-reward-2021", year=2021)
    for amount in ("0.10", "0.20"):
        services.record_reward_grant(
            personas.district_officer,
            {"payer": personas.tianyuan, "recipient": personas.org_a,
             "amount": Decimal(amount), "paid_on": dt.date(2021, 5, 1), "reason": "标准奖励"},
        )  # fmt: skip
    with pytest.raises(ValidationError, match="exact decimal"):
        services.record_reward_grant(
            personas.officer,
            {"payer": personas.tianyuan, "recipient": personas.org_a, "amount": 0.1,
             "paid_on": dt.date(2021, 5, 1), "reason": "x"},
        )  # fmt: skip
    total = figures.get("nqi.reward_grants").compute(personas.tianyuan, 2021)
    assert (total.value, total.records) == (Decimal("0.30"), 2)
    assert RewardGrant.objects.filter(created_by=personas.district_officer).count() == 2


def test_a_reward_grant_is_a_grant_of_the_fund_ledger(personas: Any) -> None:
    """One ledger: the registry's reward grant is the ledger's grant and payment; the nqi and
    funds figures are computed from the same rows, counted up to the report date."""
    programme = fund_factories.programme(
        personas.tianyuan, code="tianyuan-reward-2022", budget="100000.00"
    )
    reward = services.record_reward_grant(
        personas.district_officer,
        {"programme": programme, "recipient": personas.org_a, "amount": Decimal("60000.00"),
         "paid_on": dt.date(2022, 6, 1), "reason": "主导制定国家标准", "reference": "TY-001"},
    )  # fmt: skip
    grant = FundGrant.objects.get(standardization_reward=reward)
    assert (grant.programme, grant.organization, grant.amount) == (
        programme,
        personas.org_a,
        Decimal("60000.00"),
    )
    assert (reward.amount, reward.recipient, reward.payer) == (
        Decimal("60000.00"),
        personas.org_a,
        personas.tianyuan,
    )
    payment = grant.payments.get()
    assert (payment.amount, payment.voucher, grant.paid_total) == (
        Decimal("60000.00"),
        "TY-001",
        Decimal("60000.00"),
    )
    programme.refresh_from_db()
    assert programme.granted_total == Decimal("60000.00")
    with pytest.raises(ValidationError, match="budget left"):
        services.record_reward_grant(
            personas.district_officer,
            {"programme": programme, "recipient": personas.org_a, "amount": "40000.01",
             "paid_on": dt.date(2022, 6, 2), "reason": "超出预算"},
        )  # fmt: skip
    assert RewardGrant.objects.count() == FundGrant.objects.count() == 1
    # Paid in June 2022: in the report on 2021 (written by 30 September 2022) and on 2022.
    for year in (2021, 2022):
        nqi_total = figures.get("nqi.reward_grants").compute(personas.tianyuan, year)
        funds_total = figures.get("funds.standardization_reward.granted").compute(
            personas.tianyuan, year
        )
        assert nqi_total.value == funds_total.value == Decimal("60000.00")
        assert nqi_total.records == funds_total.records == 1
    assert figures.get("nqi.reward_grants").compute(personas.tianyuan, 2020).value == 0
    funded = figures.get("funds.standardization_reward.funded").compute(personas.tianyuan, 2021)
    assert funded.value == 1
    applicants = figures.get("funds.standardization_reward.applicants")
    assert applicants.compute(personas.tianyuan, 2021).value is None  # granted by decision


def test_a_reward_grant_needs_a_programme_of_the_payer(personas: Any) -> None:
    with pytest.raises(ValidationError, match="no standardization reward programme"):
        services.record_reward_grant(
            personas.district_officer,
            {"payer": personas.tianyuan, "recipient": personas.org_a, "amount": "10.00",
             "paid_on": dt.date(2019, 5, 1), "reason": "标准奖励"},
        )  # fmt: skip
    other = fund_factories.programme(
        personas.tianyuan, code="ip-2021", kind=ProgrammeKind.IP_STRATEGY, year=2021
    )
    with pytest.raises(ValidationError, match="standardization reward programme"):
        services.record_reward_grant(
            personas.district_officer,
            {"programme": other, "recipient": personas.org_a, "amount": "10.00",
             "paid_on": dt.date(2021, 5, 1), "reason": "标准奖励"},
        )  # fmt: skip
    assert not FundGrant.objects.exists()


def _body(personas: Any, org: Any, days: int, number: str, until: dt.date) -> Any:
    body = services.register_quality_body(
        personas.officer,
        {"organization": org, "designation": Designation.LABORATORY, "turnaround_days": days},
    )
    services.add_accreditation(
        personas.officer,
        body,
        {"scheme": Scheme.CNAS_LAB, "number": number, "valid_from": dt.date(2015, 1, 1),
         "valid_until": until},
        [{"product_category": "质量管理体系", "parameter": "审核",
          "standard_code": "GB/T 19001-2016"}],
    )  # fmt: skip
    return body


def test_capability_search_finds_one_code_written_three_ways(personas: Any) -> None:
    _body(personas, personas.provider_org, 9, "CNAS L1001", dt.date(2099, 1, 1))
    _body(personas, personas.org_b, 3, "cnas l1002", dt.date(2020, 1, 1))  # expired
    for written in ("GB/T 19001", "GB/T19001-2016", "GB/T 19001—2016"):
        found = capability.find(written)
        assert [m.line.accreditation.number for m in found] == ["CNAS L1001", "CNAS L1002"]
        assert [m.expired for m in found] == [False, True]  # expired ranked last
    assert capability.find("GB/T 19001-2008")[0].score == 2  # another edition
    assert [m.line.accreditation.number for m in capability.find("CNAS L1002")] == ["CNAS L1002"]
    assert capability.find("审核")
    with pytest.raises(ValidationError, match=r"scope\.1\.standard_code"):
        services.add_accreditation(
            personas.officer,
            _body(personas, personas.org_a, 1, "CNAS L1003", dt.date(2099, 1, 1)),
            {"scheme": Scheme.CNAS_LAB, "number": "CNAS L1004", "valid_from": dt.date(2020, 1, 1),
             "valid_until": dt.date(2030, 1, 1)},
            [{"product_category": "x", "parameter": "y", "standard_code": "DB99/T 1-2020"}],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="CNAS L1234"):
        services.add_accreditation(
            personas.officer,
            _body(personas, personas.market, 1, "CNAS L1005", dt.date(2099, 1, 1)),
            {"scheme": Scheme.CNAS_LAB, "number": "L-12", "valid_from": dt.date(2020, 1, 1),
             "valid_until": dt.date(2030, 1, 1)},
            [],
        )  # fmt: skip


def test_the_whole_request_workflow(personas: Any, django_capture_on_commit_callbacks: Any) -> None:
    pilot = OneStopPilot.objects.create(
        name="天元试点", name_en="Tianyuan pilot", kind=PilotKind.ZONE, region=personas.tianyuan,
        city=personas.city,
    )  # fmt: skip
    offering = services.create_offering(
        personas.officer,
        {"title": "计量器具校准", "title_en": "Calibration", "description": "校准",
         "description_en": "calibration", "element": Element.METROLOGY, "stage": Stage.PRODUCTION},
        [{"provider": personas.provider_org, "price_min": Decimal(100),
          "price_max": Decimal(300), "promised_days": 5}],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.file_request(personas.officer, "校准")
    start = timezone.now() - dt.timedelta(days=10)
    request = services.file_request(personas.alice, "40 把扭力扳手要校准", now=start)
    assert request.pilot == pilot
    assert Notification.objects.filter(recipient=personas.officer).count() == 1
    with pytest.raises(PermissionDenied):
        services.route_request(personas.alice, request, offering, personas.provider_org)
    with pytest.raises(ValidationError, match="does not offer"):
        services.route_request(personas.officer, request, offering, personas.org_b)
    request = services.route_request(
        personas.district_officer, request, offering, personas.provider_org, now=start
    )
    with pytest.raises(PermissionDenied):
        services.accept_request(personas.bob, request)
    with pytest.raises(ValidationError, match="not open"):
        services.quote_request(personas.provider, request, Decimal(200))
    request = services.accept_request(personas.provider, request, now=start)
    assert request.due_at == start + dt.timedelta(days=5)
    request = services.quote_request(personas.provider, request, Decimal("200.00"), now=start)
    assert request.is_overdue
    with django_capture_on_commit_callbacks():
        assert services.flag_overdue_requests(personas.officer) == 1
    assert services.flag_overdue_requests(personas.officer) == 0  # once a day
    request = services.deliver_request(
        personas.provider, request, "报告 ZZ-1", now=start + dt.timedelta(days=6)
    )
    assert request.on_time is False
    request = services.close_request(personas.provider, request)
    with pytest.raises(PermissionDenied):
        services.rate_request(personas.bob, request, 5)
    with pytest.raises(ValidationError, match="1 to 5"):
        services.rate_request(personas.alice, request, 6)
    request = services.rate_request(personas.alice, request, 4, "好")
    assert request.status == RequestStatus.RATED
    assert request.history.latest().history_user == personas.alice
    year = start.year if start.year == (start + dt.timedelta(days=6)).year else None
    if year is not None:
        row = next(r for r in dashboard.pilot_rows(personas.city, year) if r.pilot == pilot)
        assert (row.requests, row.served, row.on_time_share, row.satisfaction) == (1, 1, 0.0, 4.0)
        assert row.by_element[Element.METROLOGY] == 1
        assert figures.get("nqi.onestop.satisfaction").compute(
            personas.city, year
        ).value == Decimal("4.0")
    assert ServiceRequest.objects.visible_to(personas.bob).count() == 0
    assert ServiceRequest.objects.visible_to(personas.provider).count() == 1


def test_dashboard_drilldown_lists_the_requests_behind_each_number(personas: Any) -> None:
    pilot = OneStopPilot.objects.create(
        name="天元试点", name_en="Tianyuan pilot", kind=PilotKind.ZONE, region=personas.tianyuan,
        city=personas.city,
    )  # fmt: skip
    offering = services.create_offering(
        personas.officer,
        {"title": "计量器具校准", "title_en": "Calibration", "description": "校准",
         "description_en": "calibration", "element": Element.METROLOGY, "stage": Stage.PRODUCTION},
        [{"provider": personas.provider_org, "price_min": Decimal(100),
          "price_max": Decimal(300), "promised_days": 5}],
    )  # fmt: skip
    year = timezone.localdate().year
    start = timezone.make_aware(dt.datetime(year, 1, 10, 9))
    done = []
    for index in range(3):
        item = services.file_request(personas.alice, f"校准 {index}", now=start)
        if index < 2:
            item = services.route_request(
                personas.officer, item, offering, personas.provider_org, now=start
            )
            item = services.accept_request(personas.provider, item, now=start)
            item = services.quote_request(personas.provider, item, Decimal(200), now=start)
            item = services.deliver_request(
                personas.provider, item, "报告", now=start + dt.timedelta(days=2 + 5 * index)
            )
            item = services.close_request(personas.provider, item, now=start)
            done.append(item)
    services.rate_request(personas.alice, done[0], 5, now=start)
    row = next(r for r in dashboard.pilot_rows(personas.city, year) if r.pilot == pilot)
    assert (row.requests, row.served, row.on_time_share, row.satisfaction) == (3, 1, 50.0, 5.0)

    def listed(measure: str, **kwargs: str) -> list[int]:
        rows = dashboard.pilot_requests(personas.city, year, pilot, measure, **kwargs)
        return [r.pk for r in rows]

    assert len(listed("requests")) == row.requests
    assert listed("served") == [r.pk for r in done]
    assert listed("rated") == [done[0].pk]
    assert len(listed("requests", element=Element.METROLOGY)) == row.by_element["metrology"] == 2
    assert listed("requests", stage=Stage.RD) == []
    page = personas.client("anonymous").get(
        f"/nqi/onestop/dashboard/{pilot.pk}/?year={year}&measure=served"
    )
    body = page.content.decode()
    assert "校准 0" in body
    assert "校准 1" in body
    assert "校准 2" not in body
    assert "Requests delivered" in body


def test_standard_awards_are_recorded_by_staff_of_the_recipients_region(personas: Any) -> None:
    fund_factories.programme(personas.tianyuan, code="tianyuan-reward-2021", year=2021)
    grant = services.record_reward_grant(
        personas.district_officer,
        {"payer": personas.tianyuan, "recipient": personas.org_a, "amount": Decimal("50000.00"),
         "paid_on": dt.date(2021, 5, 1), "reason": "标准化贡献奖奖金"},
    )  # fmt: skip
    data = {"kind": StandardAwardKind.PROVINCIAL_CONTRIBUTION, "level": BodyLevel.PROVINCIAL,
            "year": 2021, "grade": AwardGrade.FIRST, "title": "硬质合金标准体系",
            "recipient": personas.org_a}  # fmt: skip
    award = services.record_standard_award(personas.district_officer, {**data, "grant": grant})
    assert award.history.latest().history_user == personas.district_officer
    with pytest.raises(PermissionDenied):  # 乙 is in 石峰区
        services.record_standard_award(
            personas.district_officer, {**data, "recipient": personas.org_b}
        )
    with pytest.raises(ValidationError, match="someone else"):
        services.record_standard_award(
            personas.officer, {**data, "recipient": personas.org_b, "grant": grant}
        )
    with pytest.raises(ValidationError, match="future"):
        services.record_standard_award(
            personas.officer, {**data, "title": "x", "year": timezone.localdate().year + 1}
        )
    with pytest.raises(ValidationError):  # the same award twice
        services.record_standard_award(personas.officer, data)
    page = personas.client("anonymous").get("/nqi/").content.decode()
    assert "硬质合金标准体系" in page
    assert "50000.00" in page


def test_staff_pages_of_the_registers_go_through_the_services(personas: Any) -> None:
    client = personas.client("district_officer")
    data = {"number": "sac/tc 901", "name": "页面委员会", "kind": "tc", "level": "national",
            "secretariat": personas.org_a.pk}  # fmt: skip
    response = client.post("/nqi/registers/committees/new/", data)
    assert response.status_code == 302
    committee = TechnicalCommittee.objects.get(name="页面委员会")
    assert committee.number == "SAC/TC 901"  # normalised by the model, as by the service
    assert committee.history.latest().history_user == personas.district_officer
    # A secretariat outside the officer's district is not offered; a bad number is explained.
    refused = client.post(
        "/nqi/registers/committees/new/",
        {**data, "number": "TC-9", "secretariat": personas.org_b.pk},
    )
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"number", "secretariat"}
    edited = client.post(
        f"/nqi/registers/committees/{committee.pk}/", {**data, "name": "改名委员会"}
    )
    assert edited.status_code == 302
    committee.refresh_from_db()
    assert committee.name == "改名委员会"
    assert client.get("/nqi/registers/grants/1/").status_code == 404  # grants are never edited
    pilot = services.create_pilot(
        personas.officer,
        {"name": "页面试点", "level": BodyLevel.PROVINCIAL, "region": personas.tianyuan,
         "starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2022, 1, 1)},
    )  # fmt: skip
    early = client.post(
        f"/nqi/registers/pilots/{pilot.pk}/accept/",
        {"accepted_on": "2019-01-01", "score": "90", "passed": "1"},
    )
    assert "before the project starts" in early.content.decode()
    client.post(
        f"/nqi/registers/pilots/{pilot.pk}/accept/",
        {"accepted_on": "2022-03-01", "score": "91.5", "passed": "1"},
    )
    pilot.refresh_from_db()
    assert (pilot.status, pilot.acceptance_score) == ("completed", Decimal("91.5"))
    assert personas.client("alice").get("/nqi/registers/pilots/new/").status_code == 403


def test_an_officer_cannot_take_over_another_districts_committee(personas: Any) -> None:
    committee = services.create_committee(
        personas.officer,
        {"number": "SAC/TC 902", "name": "石峰委员会", "kind": "tc", "level": "national",
         "secretariat": personas.org_b},
    )  # fmt: skip
    stale = TechnicalCommittee.objects.get(pk=committee.pk)
    stale.secretariat = personas.org_a  # as a bound form leaves its instance
    with pytest.raises(PermissionDenied):
        services.update_committee(personas.district_officer, stale, {"name": "夺取"})
    own = services.create_committee(
        personas.district_officer,
        {"number": "SAC/TC 903", "name": "天元委员会", "kind": "tc", "level": "national",
         "secretariat": personas.org_a},
    )  # fmt: skip
    with pytest.raises(PermissionDenied):  # nor move one of its own out of its district
        services.update_committee(personas.district_officer, own, {"secretariat": personas.org_b})
    committee.refresh_from_db()
    assert committee.name == "石峰委员会"


def test_the_reward_grant_form_records_in_the_ledger(personas: Any) -> None:
    fund = fund_factories.programme(personas.tianyuan, code="form-reward-2021", year=2021)
    client = personas.client("district_officer")
    url = "/nqi/registers/grants/new/"
    form = client.get(url).content.decode()
    assert "form-reward-2021" in form or fund.name in form
    data = {"programme": fund.pk, "recipient": personas.org_a.pk, "amount": "1234.50",
            "paid_on": "2021-07-01", "reason": "参与制定行业标准", "reference": "TY-9"}  # fmt: skip
    too_much = client.post(url, {**data, "amount": "2000000.00"}).content.decode()
    assert "budget left" in too_much
    assert client.post(url, data).status_code == 302
    reward = RewardGrant.objects.get()
    assert (reward.amount, reward.recipient, reward.ledger_grant.payments.get().voucher) == (
        Decimal("1234.50"),
        personas.org_a,
        "TY-9",
    )
