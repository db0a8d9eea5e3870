"""Query counts of the sampling lists, on more rows than the bound (assert_list_queries)."""

import pytest

from zhizao.core.testing import assert_list_queries, make_organization
from zhizao.sampling import services

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def many(smp):
    producers = [make_organization(f"计数生产企业{i:02d}", smp.p.tianyuan) for i in range(ROWS)]
    inputs = [smp.batch_input(producer=producer, value="0.9") for producer in producers]
    return services.record_batches(smp.p.officer, smp.plan, inputs).batches


def test_lists_read_a_bounded_number_of_queries(smp, many):
    client = smp.p.client("officer")
    numbers = [batch.report_number for batch in many]
    assert_list_queries(client, "/sampling/batches/", rows=ROWS, max_queries=10, shows=numbers)
    assert_list_queries(client, "/sampling/cases/", rows=ROWS, max_queries=10, shows=numbers)
    assert_list_queries(
        client, "/api/v1/sampling/batches?limit=100", rows=ROWS, max_queries=8, shows=numbers
    )
    assert_list_queries(
        smp.p.client("anonymous"),
        f"/sampling/?by=producer&year={smp.year}",
        rows=ROWS,
        max_queries=6,
        shows=[f"计数生产企业{i:02d}" for i in range(ROWS)],
    )
