"""Staff open a new edition of a programme; the nominee picker of the individual category."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory
from zhizao.awards.models import Application, AwardEdition
from zhizao.core.models import Person

pytestmark = pytest.mark.django_db

URL = "/awards/editions/new/"


def _form(programme, **extra):
    data = {
        "programme": programme.pk,
        "number": 8,
        "year": 2027,
        "opens_at": "2027-03-01T09:00",
        "submission_deadline": "2027-05-31T17:00",
        "award_quota": 5,
        "nomination_quota": 3,
        "min_years_in_operation": 3,
        "incident_free_years": 3,
        "objection_days": 7,
        "blind_material_review": "on",
        "feedback_release_on": "2027-12-01",
    }
    data.update(extra)
    return data


def test_url_and_link(personas, edition):
    assert reverse("awards:edition_create") == URL
    listing = personas.client("officer").get(reverse("awards:edition_list")).content.decode()
    assert URL in listing
    assert URL not in personas.client("alice").get(reverse("awards:edition_list")).content.decode()


def test_staff_create_an_edition(personas, edition):
    programme = edition.programme
    page = personas.client("officer").get(URL, {"programme": programme.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["number"] == edition.number + 1
    response = personas.client("officer").post(URL, _form(programme))
    created = AwardEdition.objects.get(programme=programme, number=8)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:edition_detail", args=[created.pk])
    assert created.year == 2027
    assert created.award_quota == 5
    assert created.nomination_quota == 3
    assert created.blind_material_review
    assert created.objection_days == 7
    assert created.feedback_release_on == dt.date(2027, 12, 1)
    assert timezone.localtime(created.opens_at).strftime("%Y-%m-%d %H:%M") == "2027-03-01 09:00"
    assert not created.is_historic
    assert created.history.first().history_user == personas.officer


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"number": 7}, "number", "already has an edition number 7"),
        (
            {"submission_deadline": "2027-02-01T09:00"},
            "submission_deadline",
            "The deadline must be after the opening date.",
        ),
        ({"opens_at": ""}, "opens_at", "required"),
        ({"submission_deadline": ""}, "submission_deadline", "required"),
        ({"objection_days": 0}, "objection_days", "at least one day"),
        (
            {"feedback_release_on": "2027-05-01"},
            "feedback_release_on",
            "before the submission deadline",
        ),
        ({"award_quota": -1}, "award_quota", "greater than or equal to 0"),
        ({"year": "MMXXVII"}, "year", "whole number"),
    ],
)
def test_bad_editions_get_per_field_errors(personas, edition, extra, field, message):
    response = personas.client("officer").post(URL, _form(edition.programme, **extra))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert "__all__" not in errors
    assert not AwardEdition.objects.filter(number=8).exists()


def test_service_reports_every_problem_on_its_field(personas, edition):
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.create_edition(
            personas.officer,
            edition.programme,
            {
                "number": edition.number,
                "year": now.year,
                "opens_at": now,
                "submission_deadline": now - dt.timedelta(days=1),
                "objection_days": 0,
            },
        )
    errors = caught.value.message_dict
    assert set(errors) == {"number", "submission_deadline", "objection_days"}
    with pytest.raises(ValidationError, match="Unknown field"):
        services.create_edition(personas.officer, edition.programme, {"is_historic": True})


@pytest.mark.parametrize("name", ["alice", "assessor", "committee", "tester"])
def test_only_staff_create_editions(personas, edition, name):
    assert personas.client(name).get(URL).status_code == 403
    assert personas.client(name).post(URL, _form(edition.programme)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_edition(getattr(personas, name), edition.programme, {"number": 9})
    assert not AwardEdition.objects.filter(number=8).exists()


def test_anonymous_is_sent_to_login(personas):
    response = personas.client("anonymous").get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- The nominee picker (individual category) ------------------------------------------------


@pytest.fixture
def people(personas):
    own = Person.objects.create(name="张工", title="总工程师", organization=personas.org_a)
    other = Person.objects.create(name="李工", organization=personas.org_b)
    return own, other


def _apply(personas, edition, **data):
    url = reverse("awards:application_create", args=[edition.pk])
    payload = {"category": AwardCategory.INDIVIDUAL, "established_on": "2010-01-01", **data}
    return personas.client("alice").post(url, payload)


def test_picker_lists_only_own_people(personas, edition, people):
    page = personas.client("alice").get(reverse("awards:application_create", args=[edition.pk]))
    content = page.content.decode()
    assert 'name="nominee"' in content
    assert "张工 · 总工程师" in content
    assert "李工" not in content


def test_individual_application_with_own_nominee(personas, edition, people):
    own, _other = people
    response = _apply(personas, edition, nominee=own.pk)
    application = Application.objects.get(category=AwardCategory.INDIVIDUAL)
    assert response.status_code == 302
    assert application.nominee == own
    assert application.organization == personas.org_a


def test_nominee_of_another_organization_is_refused(personas, edition, people):
    _own, other = people
    response = _apply(personas, edition, nominee=other.pk)
    assert response.status_code == 200
    assert "Nominate a person of your own organization." in " ".join(
        response.context["form"].errors["nominee"]
    )
    assert not Application.objects.exists()
    with pytest.raises(ValidationError, match="own organization"):
        services.create_application(
            personas.alice, edition, category=AwardCategory.INDIVIDUAL, nominee=other
        )


def test_individual_category_needs_a_nominee(personas, edition, people):
    response = _apply(personas, edition)
    assert "Choose the nominee" in " ".join(response.context["form"].errors["nominee"])
    assert not Application.objects.exists()


def test_organization_category_ignores_the_picker(personas, edition, people):
    own, _other = people
    response = _apply(personas, edition, category=AwardCategory.ORGANIZATION, nominee=own.pk)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.category == AwardCategory.ORGANIZATION
    assert application.nominee is None


def test_edition_settings_page_shows_the_stored_dates(personas, edition):
    """datetime-local inputs accept only ISO values: the stored dates must be shown, not blank."""
    page = personas.client("officer").get(f"/awards/editions/{edition.pk}/").content.decode()
    opens = timezone.localtime(edition.opens_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{opens}"' in page
