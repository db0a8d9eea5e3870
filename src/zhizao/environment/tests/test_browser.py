"""The public air page in a real browser, in both languages: the figures, the ECharts calendar
of daily AQI and the composite-index trend; a drill from the good-days figure to its days and
from a day (a click on the calendar, then a day link) to its station-hours."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.core.testing import screenshot
from zhizao.environment.models import Station

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_air_page_in_both_languages_and_the_drill_to_a_station_hour(live_server, browser_page):
    call_command("demo", "--only", "core", stdout=io.StringIO())
    call_command("demo", "--only", "environment", stdout=io.StringIO())
    city = Region.objects.get(code="430200")
    good = figures.get("air.good_days").compute(city, 2021)
    page = browser_page
    page.goto(f"{live_server.url}/environment/air/?city=430200&year=2021")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text().startswith("空气质量")
    assert "合成演示数据" in page.locator(".synthetic-badge").inner_text()
    page.wait_for_selector("#aqi-calendar canvas")
    page.wait_for_selector("#composite-trend canvas")
    row = page.locator('#air-figures tr[data-code="air.good_days"]')
    assert "310" in row.inner_text()
    assert "优良天数" in row.inner_text()
    screenshot(page, "environment-air-zh")

    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text().startswith("Air quality")
    assert "Days of good air quality" in page.locator("#air-figures").inner_text()
    page.wait_for_selector("#aqi-calendar canvas")
    screenshot(page, "environment-air-en")

    # The calendar: a click on a day opens that day's station-hours.
    day = figures.get("air.good_days").records(city, 2021).filter(day__month=6).first()
    page.locator("#aqi-calendar").scroll_into_view_if_needed()
    box = page.locator("#aqi-calendar").bounding_box()
    assert box is not None
    x, y = page.evaluate(
        "(day) => echarts.getInstanceByDom(document.getElementById('aqi-calendar'))"
        ".convertToPixel({calendarIndex: 0}, day)",
        day.day.isoformat(),
    )
    page.wait_for_timeout(1200)  # the chart's entry animation
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"**/environment/air/430200/{day.day.isoformat()}/")
    assert page.locator("tr.station-hour").count() == 24 * Station.objects.count()
    page.go_back()

    # Good days → the days → one day → its station-hours → one station-hour.
    page.click('#air-figures tr[data-code="air.good_days"] a.figure-link')
    page.wait_for_selector("#record-count")
    assert page.locator("#record-count").get_attribute("data-count") == str(good.value)
    first_day = page.locator("#records tbody tr a").first
    day_text = first_day.inner_text()
    screenshot(page, "environment-good-days")
    first_day.click()
    page.wait_for_selector("#station-hours")
    assert day_text in page.locator("h1").inner_text()
    hour = page.locator("tr.station-hour").first
    assert f"{day_text} 01:00" in hour.inner_text()  # labelled by its end, as the platform does
    assert int(page.locator(".day-aqi").inner_text()) <= 100
    screenshot(page, "environment-day-station-hours")
