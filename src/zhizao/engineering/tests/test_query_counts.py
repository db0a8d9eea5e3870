"""Query counts of the project list and API list (assert_list_queries)."""

import pytest

from zhizao.core.testing import assert_list_queries
from zhizao.engineering import services
from zhizao.engineering.choices import ProjectKind

pytestmark = pytest.mark.django_db

ROWS = 12


def test_lists_read_a_bounded_number_of_queries(personas):
    names = [f"计数工程{index:02d}" for index in range(ROWS)]
    for name in names:
        services.create_project(
            personas.officer,
            name=name,
            kind=ProjectKind.TRANSPORT,
            region=personas.tianyuan,
            builder=personas.org_a,
        )
    client = personas.client("officer")
    assert_list_queries(client, "/engineering/projects/", rows=ROWS, max_queries=8, shows=names)
    assert_list_queries(
        client, "/api/v1/engineering/projects?limit=100", rows=ROWS, max_queries=8, shows=names
    )
