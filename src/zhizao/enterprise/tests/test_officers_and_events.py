"""Chief quality officers and quality events: who may act, all-or-nothing attendance with
row-numbered errors, PDF materials checked by content, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhizao.enterprise import services
from zhizao.enterprise.choices import EventKind
from zhizao.enterprise.models import ChiefQualityOfficer, EventParticipation

pytestmark = pytest.mark.django_db
DAY = dt.date(2021, 12, 16)


@pytest.fixture
def event(personas):
    return services.record_event(
        personas.district_officer,
        {
            "kind": EventKind.TRAINING,
            "topic": "首席质量官培训",
            "organizer": "天元区市场监管局",
            "region": personas.tianyuan,
            "held_on": DAY,
            "trains_officers": True,
        },
    )


def test_officers_are_registered_by_the_enterprise_or_its_regions_staff(personas):
    for name in ("bob", "tester", "assessor", "committee"):
        with pytest.raises(PermissionDenied):
            services.register_officer(
                getattr(personas, name), personas.org_a, person_name="甲", appointed_on=DAY
            )
    # 天元区's officer does not act for an enterprise in 石峰区.
    with pytest.raises(PermissionDenied):
        services.register_officer(
            personas.district_officer, personas.org_b, person_name="乙", appointed_on=DAY
        )
    assert not ChiefQualityOfficer.objects.exists()
    officer = services.register_officer(
        personas.alice,
        personas.org_a,
        person_name="王质量",
        appointed_on=DAY,
        certificate_number="C-1",
        certificate_valid_until=dt.date(2024, 12, 31),
    )
    assert officer.person.organization == personas.org_a
    assert officer.history.latest().history_user == personas.alice
    with pytest.raises(ValidationError, match="certificate number is already registered"):
        services.register_officer(
            personas.district_officer,
            personas.org_a,
            person_name="李",
            appointed_on=DAY,
            certificate_number="C-1",
        )
    with pytest.raises(ValidationError, match="cannot expire before"):
        services.register_officer(
            personas.alice,
            personas.org_a,
            person_name="赵",
            appointed_on=DAY,
            certificate_valid_until=DAY - dt.timedelta(days=1),
        )
    ended = services.end_officer(personas.district_officer, officer, dt.date(2022, 6, 30))
    assert ended.ended_on == dt.date(2022, 6, 30)
    with pytest.raises(ValidationError, match="already ended"):
        services.end_officer(personas.district_officer, officer, dt.date(2022, 7, 1))


def test_events_are_recorded_by_staff_of_their_region(personas):
    data = {
        "kind": EventKind.BRAND_DAY,
        "topic": "品牌日",
        "organizer": "石峰区市场监管局",
        "region": personas.shifeng,
        "held_on": DAY,
    }
    for name in ("district_officer", "alice", "tester"):
        with pytest.raises(PermissionDenied):
            services.record_event(getattr(personas, name), data)
    event = services.record_event(personas.officer, data)
    assert event.history.latest().history_user == personas.officer
    with pytest.raises(ValidationError, match="Unknown field"):
        services.record_event(personas.officer, {**data, "budget": 1})


def test_attendance_is_all_or_nothing_and_names_the_bad_rows(personas, event):
    text = (
        f"{personas.org_a.credit_code}, 王一\n"
        "91430211MA4L000000, 李二\n"
        f"{personas.org_b.credit_code}, 赵三, maybe\n"
    )
    with pytest.raises(ValidationError) as raised:
        services.parse_attendance(text)
    assert raised.value.message_dict["rows"] == [
        "Row 3: attended: write “absent” or nothing, not “maybe”."
    ]
    rows = services.parse_attendance(text.replace(", maybe", ", absent"))
    with pytest.raises(ValidationError) as raised:
        services.record_attendance(personas.district_officer, event, rows)
    assert "Row 2: organization" in raised.value.message_dict["rows"][0]
    assert not EventParticipation.objects.exists()
    rows = services.parse_attendance(
        f"{personas.org_a.credit_code}, 王一\n\n{personas.org_b.credit_code}，赵三，缺席"
    )
    with pytest.raises(PermissionDenied):
        services.record_attendance(personas.alice, event, rows)
    recorded = services.record_attendance(personas.district_officer, event, rows)
    assert [(p.organization, p.person_name, p.attended) for p in recorded] == [
        (personas.org_a, "王一", True),
        (personas.org_b, "赵三", False),
    ]
    # Recording again updates, never duplicates.
    services.record_attendance(
        personas.district_officer, event, [services.AttendanceRow(personas.org_b, "赵三", True)]
    )
    assert EventParticipation.objects.filter(attended=True).count() == 2
    with pytest.raises(ValidationError, match="listed twice"):
        services.record_attendance(
            personas.district_officer,
            event,
            [services.AttendanceRow(personas.org_a, "王一")] * 2,
        )
    history = [p.organization.name for p in services.organization_events(personas.org_b)]
    assert history == [personas.org_b.name]


def test_materials_are_pdfs_stored_under_a_random_name(personas, event, client):
    with pytest.raises(ValidationError, match="not a PDF"):
        services.add_event_material(
            personas.district_officer, event, SimpleUploadedFile("x.pdf", b"GIF89a")
        )
    with pytest.raises(PermissionDenied):
        services.add_event_material(personas.alice, event, SimpleUploadedFile("x.pdf", b"%PDF-1"))
    material = services.add_event_material(
        personas.district_officer, event, SimpleUploadedFile("slides-2021.pdf", b"%PDF-1.7 s")
    )
    assert "slides-2021" not in str(material.file.name)
    assert material.size == len(b"%PDF-1.7 s")
    services.record_attendance(
        personas.district_officer, event, [services.AttendanceRow(personas.org_a, "王一")]
    )
    response = personas.client("alice").get(f"/enterprises/materials/{material.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.7 s"
    assert personas.client("bob").get(f"/enterprises/materials/{material.pk}/").status_code == 404


def test_a_market_tester_is_not_its_markets_enterprise_user(personas):
    with pytest.raises(PermissionDenied):
        services.register_officer(
            personas.tester, personas.market, person_name="甲", appointed_on=DAY
        )
    with pytest.raises(PermissionDenied):
        services.report_performance(personas.tester, personas.market, 2021, {"orders": "1"})
