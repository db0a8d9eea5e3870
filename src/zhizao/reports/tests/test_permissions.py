"""The report pages' rows of the persona × action permission matrix, and what the API list
gives each side."""

import pytest

from zhizao.core import figures
from zhizao.core.testing import check_rule, matrix_params
from zhizao.reports.tests.permission_matrix import PERMISSIONS, scenario

pytestmark = pytest.mark.django_db

# Who may read what does not depend on how many figures a snapshot holds: the matrix runs on a
# few of them (every cell builds a report; the content is tested in test_report.py).
FEW = ("air.good_days", "honours.luban", "rapidtest.pass_rate", "standards.national")


@pytest.fixture(autouse=True)
def few_figures(monkeypatch):
    monkeypatch.setattr(figures, "_registry", {code: figures.get(code) for code in FEW})


@pytest.mark.parametrize(("rule", "names"), matrix_params(PERMISSIONS))
def test_reports_permission_matrix(personas, rule, names):
    check_rule(rule, personas, scenario(personas), names)


def test_the_api_lists_drafts_to_their_staff_only(personas):
    s = scenario(personas)
    public = personas.client("anonymous").get("/api/v1/reports/snapshots").json()["items"]
    assert [row["id"] for row in public] == [s.published.pk]
    assert public[0]["published"] is True
    url = "/api/v1/reports/snapshots?city={}&year={}"
    staff = personas.client("officer").get(url.format("430200", 2020)).json()
    assert [row["id"] for row in staff["items"]] == [s.draft.pk]
    district = personas.client("district_officer")
    assert district.get(url.format("430200", 2020)).json()["items"] == []  # not its region
    mine = district.get(url.format("430211", 2021)).json()["items"]
    assert [row["id"] for row in mine] == [s.district.pk]
    assert mine[0]["published"] is False
