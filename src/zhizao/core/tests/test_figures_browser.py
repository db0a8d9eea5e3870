"""Every figure's drill-down in a real browser: each registered figure of the demo city for
2021 links to a page whose list counts exactly the figure's ``records``; the catalogue links to
them and the front page says which year it shows."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.core.testing import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_every_drill_down_lists_as_many_records_as_its_figure(settings, live_server, browser_page):
    settings.ZHIZAO_RAPIDTEST_DEMO_RECORDS = 1500
    call_command("demo", stdout=io.StringIO())
    city = Region.objects.get(code="430200")
    page = browser_page
    page.goto(live_server.url + "/")
    year = page.locator("#headlines-year")
    assert "2021" in year.inner_text()
    screenshot(page, "core-front-page-figures")
    tile = page.locator('li.tile[data-key="rapidtest_pass_rate"] .tile-value a')
    assert tile.get_attribute("href") == figures.get("rapidtest.pass_rate_5y").url(city, 2021)

    page.goto(live_server.url + "/figures/?year=2021")
    screenshot(page, "core-figures-catalogue")
    computed = figures.compute_all(city, 2021)
    assert page.locator("#figures tbody tr").count() == len(computed)
    for code, figure in computed.items():
        row = page.locator(f'#figures tr[data-code="{code}"]')
        assert row.locator("a.figure-records").inner_text() == f"{figure.records:,}"  # grouped
        page.goto(live_server.url + figure.url)
        count = page.locator("#record-count")
        assert count.get_attribute("data-count") == str(figure.records), code
        shown = page.locator("#records tbody tr").count()
        if figure.records == 0:
            assert page.locator("#records tbody").inner_text().strip() != ""
        else:
            assert shown == min(figure.records, 50), code
        page.goto(live_server.url + "/figures/?year=2021")
    page.goto(live_server.url + figures.get("rapidtest.pass_rate").url(city, 2021))
    screenshot(page, "core-figure-drill-down")
