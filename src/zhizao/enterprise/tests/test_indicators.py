"""The enterprise figures on records the test makes: the share of a chain's enterprises with a
chief quality officer in office at the year's end, trainees, events by kind, participants."""

import datetime as dt
from decimal import Decimal

import pytest

from zhizao.core import figures
from zhizao.core.choices import IndustryChain
from zhizao.core.testing import make_organization
from zhizao.enterprise import services
from zhizao.enterprise.choices import EventKind, ParticipantRole

pytestmark = pytest.mark.django_db


def compute(code, region, year):
    return figures.get(code).compute(region, year)


def test_cqo_share_counts_officers_in_office_at_the_years_end(personas):
    chain = IndustryChain.CERAMICS
    firms = [
        make_organization(f"陶瓷测试{index}", personas.tianyuan, industry_chain=chain)
        for index in range(4)
    ]
    make_organization("陶瓷外区", personas.shifeng, industry_chain=chain)
    officer = personas.admin
    services.register_officer(officer, firms[0], person_name="甲", appointed_on=dt.date(2021, 3, 1))
    ended = services.register_officer(
        officer, firms[1], person_name="乙", appointed_on=dt.date(2021, 3, 1)
    )
    services.end_officer(officer, ended, dt.date(2021, 6, 30))
    services.register_officer(
        officer,
        firms[2],
        person_name="丙",
        appointed_on=dt.date(2020, 1, 1),
        certificate_valid_until=dt.date(2021, 6, 30),
    )
    services.register_officer(officer, firms[3], person_name="丁", appointed_on=dt.date(2022, 1, 5))
    tianyuan = compute("enterprise.cqo_share.ceramics", personas.tianyuan, 2021)
    assert (tianyuan.value, tianyuan.records) == (Decimal("25.0"), 4)
    # At the end of 2020 only 丙 (certificate valid until mid-2021) was in office.
    assert compute("enterprise.cqo_share.ceramics", personas.tianyuan, 2020).value == Decimal(
        "25.0"
    )
    drill = figures.get("enterprise.cqo_share.ceramics").records(personas.tianyuan, 2020)
    assert [org.name for org in drill if org.has_officer] == ["陶瓷测试2"]
    drill = figures.get("enterprise.cqo_share.ceramics").records(personas.tianyuan, 2021)
    assert [org.name for org in drill if org.has_officer] == ["陶瓷测试0"]
    assert compute("enterprise.cqo_share.ceramics", personas.city, 2022).value == Decimal("40.0")
    empty = compute("enterprise.cqo_share.aviation", personas.city, 2021)
    assert empty.value is None
    assert empty.reason


def test_events_trainees_and_participants(personas):
    def event(kind, day, trains=False, region=personas.tianyuan):
        return services.record_event(
            personas.admin,
            {
                "kind": kind,
                "topic": f"{kind}{day}",
                "organizer": "局",
                "region": region,
                "held_on": day,
                "trains_officers": trains,
            },
        )

    training = event(EventKind.TRAINING, dt.date(2021, 12, 16), trains=True)
    services.record_attendance(
        personas.admin,
        training,
        [
            services.AttendanceRow(personas.org_a, "甲一"),
            services.AttendanceRow(personas.org_a, "甲二"),
            services.AttendanceRow(personas.org_b, "乙一", attended=False),
            services.AttendanceRow(personas.provider_org, "讲师", role=ParticipantRole.TRAINER),
        ],
    )
    visit = event(EventKind.STUDY_VISIT, dt.date(2021, 9, 6), region=personas.shifeng)
    services.record_attendance(
        personas.admin, visit, [services.AttendanceRow(personas.org_b, "乙")]
    )
    event(EventKind.STUDY_VISIT, dt.date(2022, 9, 6))
    city = personas.city
    assert compute("enterprise.cqo_trained", city, 2021).value == 2
    assert compute("enterprise.event_participants", city, 2021).value == 3
    assert compute("enterprise.event_participants", personas.tianyuan, 2021).value == 2
    assert compute("enterprise.events.study_visit", city, 2021).value == 1
    assert compute("enterprise.events.study_visit", city, 2022).value == 1
    assert compute("enterprise.events.training", city, 2022).value == 0
    drill = figures.get("enterprise.cqo_trained").records(city, 2021)
    assert sorted(p.person_name for p in drill) == ["甲一", "甲二"]
