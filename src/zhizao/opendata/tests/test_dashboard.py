"""The public dashboard: tiles and trends from the published snapshot of the chosen year (the
latest by default), never a live figure; a district without a publication says so; a bounded
number of queries whatever the number of published years."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.core.testing import assert_list_queries, make_organization
from zhizao.opendata import dashboard
from zhizao.opendata.dashboard import ChartSpec, TileSpec
from zhizao.opendata.tests.conftest import COUNT, STAFF_ONLY, publish
from zhizao.reports import services as reports

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiles(monkeypatch, test_indicators):
    """The dashboard's tiles and one chart on the test indicator (and the registry's own)."""
    monkeypatch.setattr(dashboard, "TILES", (TileSpec("test_count", COUNT.code), *dashboard.TILES))
    monkeypatch.setattr(
        dashboard,
        "CHARTS",
        (ChartSpec("test", "test chart", (COUNT.code, STAFF_ONLY.code)), *dashboard.CHARTS),
    )


def _tile(html, key):
    match = re.search(rf'<li class="tile" data-key="{key}".*?</li>', html, re.S)
    assert match, key
    return match.group(0)


def _tile_value(html, key):
    return re.search(r'class="tile-value">(.*?) <span', _tile(html, key), re.S).group(1).strip()


def test_tiles_show_the_published_snapshot_of_the_latest_year(tiles, published, client):
    html = client.get("/dashboard/").content.decode()
    value = reports.published_figures(published.p.city, 2021)[COUNT.code].typed_value
    assert isinstance(value, int)
    assert _tile_value(html, "test_count") == str(value)
    assert 'name="year"' in html
    assert '<option value="2021" selected>' in html
    link = figures.get(COUNT.code).url(published.p.city, 2021)
    assert f'href="{link.replace("&", "&amp;")}"' in _tile(html, "test_count")
    assert "synthetic-badge" in _tile(html, "test_count")  # the personas' records are synthetic
    # Records change: the dashboard does not, until a new snapshot is published.
    make_organization("看板新增企业有限公司", published.p.tianyuan)
    assert _tile_value(client.get("/dashboard/").content.decode(), "test_count") == str(value)
    publish(published.p.officer, published.p.city, 2021)
    assert _tile_value(client.get("/dashboard/").content.decode(), "test_count") == str(value + 1)
    # An earlier year shows its own snapshot.
    html = client.get("/dashboard/?year=2020").content.decode()
    assert '<option value="2020" selected>' in html
    assert _tile_value(html, "test_count") == str(value)


def test_trends_cover_the_published_years_without_staff_only_figures(tiles, published, client):
    html = client.get("/dashboard/").content.decode()
    data = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html)
    charts = {chart["key"]: chart for chart in json.loads(data.group(1))}
    test = charts["test"]
    assert test["years"] == [2020, 2021]
    assert [series["code"] for series in test["series"]] == [COUNT.code]  # staff-only left out
    assert STAFF_ONLY.code not in html
    assert '<script src="/static/opendata/dashboard.js" defer></script>' in html
    assert "<script>" not in html  # no inline script (CSP)
    assert 'id="history"' in html
    assert '<a href="?year=2020">2020</a>' in html


def test_a_district_without_a_publication_says_so(tiles, published, client):
    hetang = Region.objects.get(code="430202")
    reports.take_snapshot(published.p.officer, hetang, 2021)  # computed, not published
    html = client.get("/dashboard/430202/").content.decode()
    assert 'id="no-publication"' in html
    assert 'class="tile"' not in html
    html = client.get("/dashboard/430211/").content.decode()  # 天元区 has published 2021
    value = reports.published_figures(published.p.tianyuan, 2021)[COUNT.code].typed_value
    assert _tile_value(html, "test_count") == str(value)
    assert "/figures/zz_open.organizations/records/?city=430211&amp;year=2021" in html
    assert client.get("/dashboard/430211/?year=2020").status_code == 404
    assert client.get("/dashboard/?year=abc").status_code == 404
    assert client.get("/dashboard/000000/").status_code == 404


def test_both_languages(tiles, published, client):
    assert COUNT.name[0] in client.get("/dashboard/").content.decode()
    english = client.get("/dashboard/?lang=en").content.decode()
    assert COUNT.name[1] in english
    assert 'lang="en"' in english


def test_the_front_page_and_the_header_link_the_dashboard(client, city):
    html = client.get("/").content.decode()
    assert '<a href="/dashboard/" id="dashboard-link">' in html
    assert html.count('href="/dashboard/"') >= 2  # the header's nav and the front page


def test_the_dashboard_reads_a_bounded_number_of_queries(published, client):
    """Tiles are the rows: one query per tile (or per year) would exceed the bound."""
    for year in (2017, 2018, 2019):
        publish(published.p.officer, published.p.city, year)
    rows = len(dashboard.TILES)
    titles = [figures.get(spec.code).title for spec in dashboard.TILES if figures.get(spec.code)]
    assert_list_queries(client, "/dashboard/", rows=rows, max_queries=6, shows=titles)
    with CaptureQueriesContext(connection) as five_years:
        client.get("/dashboard/?year=2018")
    with CaptureQueriesContext(connection) as district:
        client.get("/dashboard/430211/")
    assert len(five_years) <= 6
    assert len(district) <= 6
