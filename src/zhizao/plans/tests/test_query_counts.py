"""List pages and API lists of plans run a bounded number of queries (no N+1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhizao.core.actors import system_actor
from zhizao.core.testing import assert_list_queries
from zhizao.plans import services
from zhizao.plans.tests import factories

pytestmark = pytest.mark.django_db

YEARS = ("2020", "2021", "2022", "2023", "2024", "2025")


@pytest.fixture
def submissions(personas):
    own = factories.education_data_set(personas.department)
    other = factories.education_data_set(
        factories.department("测试市住建局", personas.city), suffix="（住建）"
    )
    return [
        factories.approved(data_set, year, (100, ""), (1, ""))
        for data_set in (own, other)
        for year in YEARS
    ]


def test_submission_list_page_and_api(personas, submissions):
    client = personas.client("officer")
    assert_list_queries(
        client, reverse("plans:submissions"), rows=20, max_queries=10, shows=["2025", "2022"]
    )
    assert_list_queries(client, "/api/v1/plans/submissions?limit=100", rows=12, max_queries=8)


def test_plan_page_and_plan_list(personas):
    plan, _task = factories.plan_with_task(
        personas.city, personas.department, deadline=date(2022, 1, 1)
    )
    action = plan.actions.get()
    for index in range(12):
        services.add_task(
            system_actor(),
            action,
            {
                "title": f"任务{index}",
                "lead_department": personas.department,
                "deadline": date(2023, 1, 1),
            },
            supporting=[personas.org_a],
        )
    assert_list_queries(
        personas.client("anonymous"),
        reverse("plans:plan", args=[plan.pk]) + "?year=2021",
        rows=13,
        max_queries=12,
        shows=["任务11"],
    )
    for _index in range(9):
        factories.plan_with_task(personas.city, personas.department, deadline=date(2022, 1, 1))
    assert_list_queries(
        personas.client("anonymous"), reverse("plans:plans"), rows=10, max_queries=5
    )
    assert_list_queries(
        personas.client("anonymous"), "/api/v1/plans/plans?limit=100", rows=10, max_queries=5
    )
