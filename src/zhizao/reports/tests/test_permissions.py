"""The report pages' rows of the persona × action permission matrix, and what the API list
gives each side."""

import pytest

from zhizao.core.testing import check_rule, matrix_params
from zhizao.reports.tests.permission_matrix import PERMISSIONS, scenario

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rule", "names"), matrix_params(PERMISSIONS))
def test_reports_permission_matrix(personas, rule, names):
    check_rule(rule, personas, scenario(personas), names)


def test_the_api_lists_drafts_to_their_staff_only(personas):
    s = scenario(personas)
    public = personas.client("anonymous").get("/api/v1/reports/snapshots").json()["items"]
    assert [row["id"] for row in public] == [s.published.pk]
    assert public[0]["published"] is True
    staff = personas.client("officer").get("/api/v1/reports/snapshots?year=2020").json()
    assert [row["id"] for row in staff["items"]] == [s.draft.pk]
    district = personas.client("district_officer").get("/api/v1/reports/snapshots").json()
    assert {row["id"] for row in district["items"]} == {s.published.pk, s.district.pk}
