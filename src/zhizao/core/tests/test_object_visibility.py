"""What each persona sees, not only the status code: people are personal data, seen only by
their organization's users, the staff of its region and the superuser; an organization's
private fields likewise."""

import pytest
from django.forms import ModelChoiceField
from django.urls import reverse

from zhizao.core.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    return {
        "a": Person.objects.create(
            name="甲公司质量总监", organization=personas.org_a, phone="13900000001"
        ),
        "b": Person.objects.create(
            name="乙公司质量总监", organization=personas.org_b, phone="13900000002"
        ),
        "none": Person.objects.create(name="无单位专家"),
    }


SEES = {
    "officer": {"a", "b"},
    "district_officer": {"a"},
    "alice": {"a"},
    "bob": {"b"},
    "tester": set(),
    "provider": set(),
    "assessor": set(),
    "committee": set(),
    "admin": {"a", "b", "none"},
}


@pytest.mark.parametrize("name", sorted(SEES))
def test_api_people_lists_only_the_people_the_persona_may_see(personas, people, name):
    body = personas.client(name).get("/api/v1/people?limit=500").json()
    seen = {row["name"] for row in body["items"]}
    assert seen == {people[key].name for key in SEES[name]}
    assert body["count"] == len(SEES[name])


def test_bob_cannot_see_org_a_or_its_people(personas, people):
    bob = personas.client("bob")
    seen = {row["name"] for row in bob.get("/api/v1/people?limit=500").json()["items"]}
    assert people["a"].name not in seen
    assert seen == {people["b"].name}
    detail = bob.get(reverse("core:organization_detail", args=[personas.org_a.pk]))
    assert detail.status_code == 403
    assert personas.org_a.contact_phone not in detail.content.decode()
    listing = bob.get(reverse("core:organization_list")).content.decode()
    assert personas.org_a.name not in listing
    assert personas.org_b.name in listing
    public = bob.get(f"/api/v1/organizations/{personas.org_a.pk}").json()
    assert "contact_phone" not in public
    assert personas.org_a.contact_phone not in str(public)
    own = bob.get(f"/api/v1/organizations/{personas.org_b.pk}").json()
    assert own["contact_phone"] == personas.org_b.contact_phone


def test_the_district_officer_sees_only_their_districts_private_fields(personas):
    client = personas.client("district_officer")
    own = client.get(reverse("core:organization_detail", args=[personas.org_a.pk]))
    assert personas.org_a.contact_phone in own.content.decode()
    other = client.get(f"/api/v1/organizations/{personas.org_b.pk}").json()
    assert personas.org_b.contact_phone not in str(other)
    listing = client.get(reverse("core:organization_list")).content.decode()
    assert personas.org_a.name in listing
    assert personas.org_b.name not in listing


def test_an_applicant_may_nominate_only_its_own_people(personas, people):
    from zhizao.awards.forms import ApplicationForm

    form = ApplicationForm(organization=personas.org_b)
    nominee = form.fields["nominee"]
    assert isinstance(nominee, ModelChoiceField)
    nominees = {person.name for person in nominee.queryset}
    assert nominees == {people["b"].name}
