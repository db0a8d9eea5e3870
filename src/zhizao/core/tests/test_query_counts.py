"""Query counts of core's list pages and API lists, on more rows than the bound: one query per
row (an N+1) cannot pass (see assert_list_queries in core/testing.py)."""

import pytest
from django.urls import reverse

from zhizao.core import services
from zhizao.core.choices import Channel
from zhizao.core.models import Notification, Person, Region
from zhizao.core.testing import assert_list_queries, make_organization

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def organizations(personas):
    return [make_organization(f"计数企业{index:02d}", personas.tianyuan) for index in range(ROWS)]


def test_organization_list_page(personas, organizations):
    assert_list_queries(
        personas.client("district_officer"),
        reverse("core:organization_list"),
        rows=ROWS,
        max_queries=10,
        shows=[organization.name for organization in organizations],
    )


def test_inbox_page(personas):
    for index in range(ROWS):
        Notification.objects.create(
            recipient=personas.alice, channel=Channel.INBOX, subject=f"消息{index:02d}", body="…"
        )
    assert_list_queries(
        personas.client("alice"),
        reverse("core:inbox"),
        rows=ROWS,
        max_queries=8,
        shows=[f"消息{index:02d}" for index in range(ROWS)],
    )


def test_audit_log_page(personas, organizations):
    # One history table read per audited model, whatever the rows: the bound stays below them.
    rows = 60
    for index in range(rows):
        organization = organizations[index % ROWS]
        services.update_organization(
            personas.officer, organization, {"contact_name": f"联系人{index:02d}"}
        )
    assert_list_queries(
        personas.client("officer"),
        reverse("core:audit_log"),
        rows=rows,
        max_queries=45,
        shows=[f"联系人{index:02d}" for index in range(rows - 10, rows)],
    )


def test_api_regions(personas):
    rows = Region.objects.count()
    assert rows > 10
    assert_list_queries(
        personas.client("anonymous"),
        "/api/v1/regions?limit=500",
        rows=rows,
        max_queries=3,
        shows=[region.code for region in Region.objects.all()],
    )


def test_api_organizations(personas, organizations):
    assert_list_queries(
        personas.client("anonymous"),
        "/api/v1/organizations?limit=500",
        rows=ROWS,
        max_queries=3,
        shows=[organization.credit_code for organization in organizations],
    )


def test_api_people(personas, organizations):
    people = [
        Person.objects.create(name=f"人员{index:02d}", organization=organization)
        for index, organization in enumerate(organizations)
    ]
    assert_list_queries(
        personas.client("district_officer"),
        "/api/v1/people?limit=500",
        rows=ROWS,
        max_queries=8,
        shows=[person.name for person in people],
    )


@pytest.mark.urls("zhizao.core.tests.urls_unlisted")
def test_an_n_plus_one_cannot_pass_the_bound(personas, organizations):
    client = personas.client("anonymous")
    names = [organization.name for organization in organizations]
    with pytest.raises(AssertionError, match=r"queries for 12 rows \(bound 10\)"):
        assert_list_queries(client, "/unlisted/", rows=ROWS, max_queries=10, shows=names)
    with pytest.raises(AssertionError, match="would let an N\\+1 over 12 rows pass"):
        assert_list_queries(client, "/unlisted/", rows=ROWS, max_queries=ROWS, shows=names)
    with pytest.raises(AssertionError, match="does not show"):
        assert_list_queries(client, "/unlisted/", rows=200, max_queries=100, shows=["不存在"])
