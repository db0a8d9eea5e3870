"""Query counts of the incident list and API list (assert_list_queries)."""

import datetime as dt

import pytest

from zhizao.core.testing import assert_list_queries
from zhizao.incidents import services
from zhizao.incidents.choices import Domain

pytestmark = pytest.mark.django_db

ROWS = 12


def test_lists_read_a_bounded_number_of_queries(personas):
    titles = []
    for index in range(ROWS):
        title = f"计数事件{index:02d}"
        services.record_incident(
            personas.officer,
            domain=Domain.FOOD,
            title=title,
            occurred_on=dt.date(2021, 1, 1 + index),
            region=personas.tianyuan,
            parties=[services.Party(personas.org_a)],
        )
        titles.append(title)
    client = personas.client("officer")
    assert_list_queries(client, "/incidents/list/", rows=ROWS, max_queries=8, shows=titles)
    assert_list_queries(
        client, "/api/v1/incidents/?limit=100", rows=ROWS, max_queries=8, shows=titles
    )
    assert_list_queries(
        personas.client("alice"), "/incidents/list/", rows=ROWS, max_queries=8, shows=titles
    )
    page = personas.client("anonymous").get("/incidents/?year=2021").content.decode()
    assert 'data-domain="food"' in page
