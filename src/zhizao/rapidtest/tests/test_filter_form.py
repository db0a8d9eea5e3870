"""Issue 19, "Finding things": the records list and the dashboard have a filter form (district,
market, market type, category, product, item, result, date range), the active filters shown
as removable chips and kept in the URL; the dashboard's figures follow the filters, and agree
with the records they link to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhizao.rapidtest import breakdowns, services
from zhizao.rapidtest.filters import filter_records, scoped_records
from zhizao.rapidtest.tests.test_background_jobs import _rows
from zhizao.rapidtest.tests.test_import import write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(rt):
    outcome = services.import_test_records(rt.p.tester, write_csv(_rows(30)), file_name="f.csv")
    assert outcome.ok, outcome.errors[:3]
    # one pork test, so that the product and category filters have something to split
    pork = _rows(1, start=99)
    pork[0][3], pork[0][4], pork[0][12], pork[0][13] = "猪肉", "克伦特罗", "阴性", "合格"
    assert services.import_test_records(rt.p.tester, write_csv(pork), file_name="p.csv").ok
    return rt


def _count(rt, **params):
    return filter_records(scoped_records([rt.market.pk]), params).count()


def test_the_records_list_shows_each_active_filter_as_a_removable_chip(client, records):
    rt = records
    client.force_login(rt.p.officer)
    url = reverse("rapidtest:records")
    page = client.get(url, {"result": "fail", "product": rt.greens.pk, "date_from": "2024-05-03"})
    assert page.status_code == 200
    chips = {chip.name: chip for chip in page.context["chips"]}
    assert set(chips) == {"result", "product", "date_from"}
    assert (chips["result"].label, chips["result"].value) == ("Result", "Fail")
    assert chips["product"].value == "青菜"
    assert "result=" not in chips["result"].remove_query
    assert f"product={rt.greens.pk}" in chips["result"].remove_query
    expected = _count(rt, result="fail", product=rt.greens.pk, date_from="2024-05-03")
    assert 0 < expected < _count(rt)
    assert page.context["page"].paginator.count == expected
    assert b'data-filter="result"' in page.content
    # htmx asks for the table alone: the chips and the count come with it
    partial = client.get(url, {"result": "fail"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content
    assert b'data-filter="result"' in partial.content
    assert b'id="record-count"' in partial.content


def test_a_reversed_date_range_is_a_clear_error(client, records):
    client.force_login(records.p.officer)
    page = client.get(
        reverse("rapidtest:records"), {"date_from": "2024-05-10", "date_to": "2024-05-01"}
    )
    assert page.status_code == 400
    assert "The last day comes before the first." in page.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"result": "fail"},
        {"result": "pass", "category": "vegetables"},
        {"month": "2024-05", "product": "PORK"},
        {"date_from": "2024-05-01", "date_to": "2024-05-31"},  # read from the records
        {"date_from": "2024-05-04", "date_to": "2024-05-09", "result": "fail"},
        {"supplier": "甲批发", "kind": "farmers_market"},
    ],
)
def test_the_dashboards_filtered_figures_are_the_records_they_link_to(records, params):
    rt = records
    if params.get("product") == "PORK":
        params = {**params, "product": rt.pork.pk}
    tables, overall = breakdowns.filtered_tables(rt.p.officer, params)
    expected = _count(rt, **params)
    assert overall["total"] == expected
    if "result" not in params:
        assert overall["failed"] == _count(rt, **params, result="fail")
    for name, rows in tables.items():
        assert sum(row["total"] for row in rows) == expected, name
        for row in rows:
            if name in ("year", "month"):
                continue
            assert row["total"] == _count(rt, **{**params, name: row["key"]}), (name, row)


def test_the_rollups_and_the_records_give_the_same_breakdowns(records):
    by_rollups = breakdowns.filtered_tables(records.p.officer, {"month": "2024-05"})
    by_records = breakdowns.filtered_tables(
        records.p.officer, {"date_from": "2024-05-01", "date_to": "2024-05-31"}
    )
    assert by_rollups == by_records


def test_the_dashboard_page_follows_its_filter_form(client, records):
    rt = records
    client.force_login(rt.p.officer)
    url = reverse("rapidtest:dashboard")
    everything = client.get(url).context["overall"]["total"]
    page = client.get(url, {"result": "fail"})
    assert page.context["overall"]["total"] == _count(rt, result="fail") < everything
    assert [chip.name for chip in page.context["chips"]] == ["result"]
    assert b"result=fail&amp;market=" in page.content  # drill-downs keep the filters
    partial = client.get(url, {"result": "fail"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content
    assert b'id="table-market"' in partial.content


def test_the_api_takes_the_same_date_range(records):
    client = records.p.client("officer")
    params = {"date_from": "2024-05-04", "date_to": "2024-05-09"}
    answer = client.get("/api/v1/rapidtest/records", params)
    assert answer.status_code == 200
    assert answer.json()["count"] == _count(records, **params) > 0
    bad = client.get("/api/v1/rapidtest/records", {"date_from": "2024-02-30"})
    assert bad.status_code == 400
    assert "date_from" in bad.json()["errors"]
