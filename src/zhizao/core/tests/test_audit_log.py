"""The audit page (issue 9 and 10): each officer sees the changes of the records they may see,
filtered by who, record type, record and date, paged, in a fixed number of queries; logins are
not user changes."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhizao.core import services
from zhizao.core.audit import AuditFilter, changes_visible_to, entries_for
from zhizao.core.models import Person, User
from zhizao.core.testing import PASSWORD

URL = reverse("core:audit_log")


def _people(personas):
    anna = services.save_person(
        personas.officer, Person(name="甲企业联系人", organization=personas.org_a), {}
    )
    bert = services.save_person(
        personas.officer, Person(name="乙企业联系人", organization=personas.org_b), {}
    )
    services.save_person(personas.officer, anna, {"phone": "13800000001"})
    services.save_person(personas.officer, bert, {"phone": "13900000002"})
    services.update_organization(
        personas.officer, personas.org_b, {"contact_email": "b-secret@example.invalid"}
    )
    services.update_organization(
        personas.officer, personas.org_a, {"contact_email": "a-open@example.invalid"}
    )
    return anna, bert


def test_district_officer_sees_only_changes_in_their_region(personas):
    _people(personas)
    page = personas.client("district_officer").get(URL + "?lang=en").content.decode()
    assert "13800000001" in page
    assert "a-open@example.invalid" in page
    assert "13900000002" not in page
    assert "b-secret@example.invalid" not in page
    assert personas.org_b.name not in page
    city = personas.client("officer").get(URL + "?lang=en").content.decode()
    assert "13900000002" in city
    assert "b-secret@example.invalid" in city


def test_scoping_follows_each_models_scoping_method(personas):
    anna, _bert = _people(personas)
    seen = {
        (label, history_id)
        for _when, history_id, label in changes_visible_to(personas.district_officer)
    }
    labels = {label for label, _id in seen}
    assert "core.person" in labels
    person_ids = {
        row.id
        for row in Person.history.filter(
            history_id__in=[i for label, i in seen if label == "core.person"]
        )
    }
    assert person_ids == {anna.pk}
    # Users: the district officer sees accounts of their region and its organizations only.
    user_rows = User.history.filter(history_id__in=[i for label, i in seen if label == "core.user"])
    assert {row.username for row in user_rows} == {"district_officer", "alice"}
    # Records with no scoping method are for superusers only.
    assert "core.messagetemplate" not in labels
    assert changes_visible_to(AnonymousUser()).count() == 0
    everything = changes_visible_to(personas.admin).count()
    assert everything > changes_visible_to(personas.officer).count() >= len(seen)


def test_filters_by_who_type_record_and_date(personas):
    anna, bert = _people(personas)
    services.save_person(personas.admin, anna, {"title": "质量负责人"})
    client = personas.client("officer")
    by_admin = client.get(URL, {"who": "admin", "lang": "en"}).content.decode()
    assert "质量负责人" in by_admin
    assert "13800000001" not in by_admin
    people = changes_visible_to(personas.officer, AuditFilter(model="core.person"))
    assert {label for *_rest, label in people} == {"core.person"}
    assert people.count() == 5  # two created, three changed
    one = changes_visible_to(personas.officer, AuditFilter(model="core.person", record_id=bert.pk))
    assert one.count() == 2
    today = timezone.localdate()
    assert changes_visible_to(personas.officer, AuditFilter(since=today)).count() > 0
    assert (
        changes_visible_to(personas.officer, AuditFilter(until=today - timedelta(days=1))).count()
        == 0
    )
    bad = client.get(
        URL,
        {
            "since": today.isoformat(),
            "until": (today - timedelta(days=2)).isoformat(),
            "lang": "en",
        },
    )
    assert bad.status_code == 200
    assert "The end date is before the start date." in bad.content.decode()


def test_the_page_is_paged(personas):
    person = services.save_person(
        personas.officer, Person(name="分页联系人", organization=personas.org_a), {}
    )
    for number in range(60):
        services.save_person(personas.officer, person, {"phone": f"1370000{number:04d}"})
    client = personas.client("officer")
    first = client.get(URL, {"model": "core.person", "lang": "en"}).content.decode()
    assert "13700000059" in first
    assert "13700000000" not in first
    assert "page=2" in first
    second = client.get(URL, {"model": "core.person", "page": 2, "lang": "en"}).content.decode()
    assert "13700000000" in second
    assert "13700000059" not in second


def _queries_for_page(personas, **filters):
    with CaptureQueriesContext(connection) as queries:
        response = personas.client("officer").get(URL, filters)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_query_count_does_not_grow_with_the_rows(personas):
    """One query per page, one count, two per record type on the page: never one per row (the
    page ran one ``prev_record`` query per changed row)."""
    person = services.save_person(
        personas.officer, Person(name="计数联系人", organization=personas.org_a), {}
    )
    services.save_person(personas.officer, person, {"phone": "13600000000"})
    few = _queries_for_page(personas, model="core.person")
    for number in range(30):
        services.save_person(personas.officer, person, {"phone": f"1360000{number:04d}"})
        services.update_organization(
            personas.officer, personas.org_a, {"contact_name": f"联系人{number}"}
        )
    many = _queries_for_page(personas, model="core.person")
    assert len(many) == len(few)
    history = [sql for sql in many if "historicalperson" in sql.lower()]
    assert len(history) == 4  # the page, its count, the page's rows, their previous versions
    full = _queries_for_page(personas)
    for number in range(30):
        services.save_person(personas.officer, person, {"phone": f"1350000{number:04d}"})
        services.update_organization(
            personas.officer, personas.org_a, {"contact_name": f"联系人{number}"}
        )
    assert len(_queries_for_page(personas)) == len(full)


def test_entries_show_what_each_change_changed(personas):
    anna, _bert = _people(personas)
    rows = changes_visible_to(personas.officer, AuditFilter(model="core.person", record_id=anna.pk))
    entries = entries_for(rows)
    assert len(entries) == 2
    assert [(c.old, c.new) for c in entries[0].changes] == [("", "13800000001")]
    assert entries[0].who == "officer"
    assert entries[1].changes == ()


def test_a_login_is_not_a_user_change(personas, caplog):
    before = personas.alice.history.count()
    with caplog.at_level("INFO", logger="zhizao.security"):
        response = Client(REMOTE_ADDR="10.7.7.7").post(
            reverse("core:login"), {"username": "alice", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert personas.alice.history.count() == before
    personas.alice.refresh_from_db()
    assert personas.alice.last_login is not None
    assert "login succeeded: user=alice address=10.7.7.7" in caplog.text
    from axes.models import AccessLog

    assert AccessLog.objects.filter(username="alice").exists()
