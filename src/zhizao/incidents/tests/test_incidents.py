"""Incidents: the grade suggested per domain and confirmed by staff (a different grade needs
its reason, audited), handling and closure, the figures, and the awards' eligibility rule
reading these records (with the staff override kept)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhizao.awards import scoring as award_scoring
from zhizao.awards import services as award_services
from zhizao.awards.choices import Status
from zhizao.core import figures
from zhizao.incidents import services
from zhizao.incidents.choices import Domain, Grade
from zhizao.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _incident(personas, **extra):
    data = {
        "domain": Domain.SPECIAL_EQUIPMENT,
        "title": "电梯事故",
        "occurred_on": dt.date(2020, 5, 1),
        "region": personas.tianyuan,
        "parties": [services.Party(personas.org_a)],
    }
    data.update(extra)
    return services.record_incident(personas.officer, **data)


@pytest.mark.parametrize(
    ("domain", "figures_", "grade"),
    [
        (Domain.SPECIAL_EQUIPMENT, {"deaths": 2}, Grade.GENERAL),
        (Domain.SPECIAL_EQUIPMENT, {"deaths": 3}, Grade.LARGE),
        (Domain.SPECIAL_EQUIPMENT, {"injured": 50}, Grade.MAJOR),
        (Domain.ENGINEERING, {"direct_loss_10k_yuan": Decimal("10000")}, Grade.ESPECIALLY_MAJOR),
        (Domain.FOOD, {"affected": 99}, Grade.GENERAL),
        (Domain.FOOD, {"affected": 100}, Grade.LARGE),
        (Domain.FOOD, {"deaths": 10}, Grade.MAJOR),
        (Domain.FOOD, {"deaths": 100}, Grade.MAJOR),  # 特别重大 is qualitative for food
        (Domain.DRUGS, {"affected": 30}, Grade.MAJOR),
        (Domain.DRUGS, {"injured": 10}, Grade.ESPECIALLY_MAJOR),
    ],
)
def test_the_grade_is_suggested_per_domain(personas, domain, figures_, grade):
    assert _incident(personas, domain=domain, **figures_).suggested_grade == grade


def test_staff_confirm_the_grade_with_a_reason_when_it_differs(personas):
    incident = _incident(personas, deaths=1)
    for name in ("alice", "tester", "assessor", "committee"):
        with pytest.raises(PermissionDenied):
            services.confirm_grade(getattr(personas, name), incident, Grade.GENERAL)
    with pytest.raises(PermissionDenied):  # 石峰区's staff only: not this incident's region
        services.record_incident(
            personas.alice,
            domain=Domain.FOOD,
            title="x",
            occurred_on=dt.date(2020, 1, 1),
            region=personas.shifeng,
        )
    with pytest.raises(ValidationError, match="reason"):
        services.confirm_grade(personas.officer, incident, Grade.LARGE)
    confirmed = services.confirm_grade(personas.district_officer, incident, Grade.LARGE, "波及多人")
    row = confirmed.history.latest()
    assert (row.history_user, row.history_change_reason, row.grade) == (
        personas.district_officer,
        "波及多人",
        Grade.LARGE,
    )
    with pytest.raises(ValidationError, match="Describe"):
        services.record_handling(personas.officer, incident, " ")
    services.record_handling(personas.officer, incident, "停用电梯，约谈维保单位")
    closed = services.close_incident(personas.officer, incident, "结案")
    assert closed.status == "closed"
    with pytest.raises(ValidationError, match="closed"):
        services.close_incident(personas.officer, incident)


def test_an_incident_closes_only_with_a_confirmed_grade(personas):
    incident = _incident(personas)
    with pytest.raises(ValidationError, match="Confirm the grade"):
        services.close_incident(personas.officer, incident)


def test_major_and_years_without_major_figures(personas):
    _incident(personas, occurred_on=dt.date(2018, 3, 1), deaths=12)  # suggested major
    _incident(personas, occurred_on=dt.date(2019, 3, 1), deaths=1)
    downgraded = _incident(personas, occurred_on=dt.date(2020, 3, 1), deaths=10)
    services.confirm_grade(personas.officer, downgraded, Grade.LARGE, "复核死亡人数")
    major = figures.get("incidents.major")
    years = figures.get("incidents.years_without_major")
    assert major is not None
    assert years is not None
    assert (major.compute(personas.city, 2018).value, major.compute(personas.city, 2020).value) == (
        1,
        0,
    )
    assert major.records(personas.city, 2018).count() == 1
    assert [years.compute(personas.city, y).value for y in (2017, 2018, 2019, 2021)] == [1, 0, 1, 3]
    assert years.compute(personas.city, 2021).records == 3
    assert years.compute(personas.shifeng, 2021).value == 5  # no incident in 石峰区
    assert years.compute(personas.city, 2016).value is None
    assert services.years_without_major(personas.city, 2021, Domain.FOOD) == 5


@pytest.fixture
def application(personas):
    from zhizao.awards.choices import AwardLevel
    from zhizao.awards.models import AwardEdition, AwardProgramme
    from zhizao.awards.tests.conftest import make_application

    programme = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )
    now = timezone.now()
    edition = AwardEdition.objects.create(
        programme=programme,
        number=7,
        year=now.year,
        opens_at=now - dt.timedelta(days=10),
        submission_deadline=now + dt.timedelta(days=10),
        award_quota=3,
        nomination_quota=3,
        incident_free_years=3,
    )
    app = make_application(personas.alice, edition)
    app = award_services.transition(personas.alice, app, Status.SUBMITTED)
    return award_services.transition(personas.officer, app, Status.ELIGIBILITY_REVIEW)


def test_award_eligibility_reads_the_incident_records(personas, application):
    assert award_scoring.eligibility_problems(application) == []
    today = timezone.localdate()
    _incident(personas, occurred_on=today - dt.timedelta(days=5 * 365), deaths=12)  # too old
    _incident(personas, occurred_on=today - dt.timedelta(days=30), deaths=2)  # not major
    _incident(personas, parties=[services.Party(personas.org_b)], occurred_on=today, deaths=12)
    assert award_scoring.eligibility_problems(application) == []
    recent = _incident(
        personas, title="锅炉爆炸", occurred_on=today - dt.timedelta(days=400), deaths=12
    )
    [problem] = award_scoring.eligibility_problems(application)
    assert "锅炉爆炸" in problem
    assert "on record" in problem
    with pytest.raises(ValidationError, match="on record"):
        award_services.transition(personas.officer, application, Status.MATERIAL_REVIEW)
    # Staff confirm it as not major after review: eligible again.
    services.confirm_grade(personas.officer, recent, Grade.LARGE, "事故调查结论")
    assert award_scoring.eligibility_problems(application) == []
    # The staff override for an incident outside the city's records, audited.
    award_services.record_eligibility_check(
        personas.officer, application, passed=False, note="外地事故"
    )
    application.refresh_from_db()
    assert "was found in the last 3 years" in award_scoring.eligibility_problems(application)[0]
    assert application.history.latest().history_user == personas.officer
    assert Incident.objects.count() == 4
