"""The one-stop service and the capability search, walked in the browser at desktop (1280) and
phone (390) width, in zh-Hans and English.

1. An enterprise files a request in its own words, bureau staff route it, the provider accepts,
   quotes, delivers and closes, the enterprise accepts the delivery and rates it; the pilot
   dashboard's numbers (requests, enterprises served, satisfaction) change accordingly.
2. The public capability search finds the same scope line for one standard code written three
   ways (``GB/T 19001``, ``GB/T19001-2016``, ``GB/T 19001—2016``); the expired one is last.

Screenshots go to test-artifacts/screenshots/. With ``ZHIZAO_TOUR_IMG=docs/img`` the few that
docs/nqi.md and the README show are also written there (viewport-sized, to keep them small)."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhizao.core.testing import browser_login, screenshot
from zhizao.nqi import services
from zhizao.nqi.choices import Designation, Element, PilotKind, RequestStatus, Scheme, Stage
from zhizao.nqi.models import OneStopPilot, ServiceRequest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _english():
    """The app's tests run in English (conftest); these choose the language by cookie."""
    return


WIDTHS = {"desktop": 1280, "phone": 390}
TOUR = {  # the screenshots committed under docs/img/
    ("onestop-file", "phone", "zh"),
    ("onestop-route", "desktop", "zh"),
    ("onestop-deliver", "desktop", "en"),
    ("onestop-rated", "phone", "zh"),
    ("onestop-dashboard", "desktop", "zh"),
    ("onestop-dashboard", "desktop", "en"),
    ("nqi-capability", "desktop", "zh"),
    ("nqi-capability", "phone", "en"),
}


def shot(page, step, width, language):
    screenshot(page, f"{step}-{width}-{language}")
    target = os.environ.get("ZHIZAO_TOUR_IMG")
    if target and (step, width, language) in TOUR:
        name = f"tour-{step}" if step.startswith("onestop") else step
        path = Path(target) / f"{name}-{width}-{language}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(path), full_page=False)
        from PIL import Image  # 256 colours: a third of the size, the same to read

        Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


def open_as(page, live_server, username, width, language):
    page.set_viewport_size({"width": WIDTHS[width], "height": 900 if width == "desktop" else 844})
    page.context.clear_cookies()
    cookie = {"name": "django_language", "value": "zh-hans" if language == "zh" else "en"}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    if username:
        browser_login(page, live_server.url, username)


def no_overflow(page):
    return not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def dashboard_row(page, live_server, pilot_name):
    page.goto(f"{live_server.url}/nqi/onestop/dashboard/")
    row = page.locator(f"#pilot-dashboard tr[data-pilot='{pilot_name}']")
    return {
        "requests": row.locator(".requests").inner_text().strip(),
        "served": row.locator(".served").inner_text().strip(),
        "satisfaction": row.locator(".satisfaction").inner_text().strip(),
    }


def catalogue(personas):
    services.create_offering(
        personas.officer,
        {"title": "计量器具校准", "title_en": "Calibration of measuring instruments",
         "description": "扭力扳手、卡尺、压力表等计量器具的校准，出具校准证书",
         "description_en": "calibration of torque wrenches, calipers and gauges with a certificate",
         "element": Element.METROLOGY, "stage": Stage.PRODUCTION},
        [{"provider": personas.provider_org, "price_min": Decimal(100),
          "price_max": Decimal(300), "promised_days": 5}],
    )  # fmt: skip
    services.create_offering(
        personas.officer,
        {"title": "出口产品标准咨询", "title_en": "Standards advice for exports",
         "description": "出口欧盟产品适用标准和技术法规咨询",
         "description_en": "which standards and regulations apply to exports to the EU",
         "element": Element.STANDARDS, "stage": Stage.RD},
        [{"provider": personas.provider_org, "price_min": Decimal(500),
          "price_max": Decimal(2000), "promised_days": 10}],
    )  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_one_stop_service_walked(browser_page, live_server, personas, width, language):
    pilot = OneStopPilot.objects.create(
        name="高新区一站式服务试点", name_en="High-tech zone pilot", kind=PilotKind.ZONE,
        region=personas.tianyuan, city=personas.city,
    )  # fmt: skip
    catalogue(personas)
    page = browser_page
    open_as(page, live_server, "", width, language)
    before = dashboard_row(page, live_server, pilot.name)
    assert before == {"requests": "0", "served": "0", "satisfaction": "–"}

    # The enterprise files its request in its own words and picks the top-ranked service.
    open_as(page, live_server, "alice", width, language)
    page.goto(f"{live_server.url}/nqi/onestop/new/")
    page.fill("#q", "40 把扭力扳手线上审核前要校准")
    page.click("#find-services")
    calibration = "计量器具校准" if language == "zh" else "Calibration of measuring instruments"
    expect(page.locator("#ranked li").first).to_contain_text(calibration)
    shot(page, "onestop-file", width, language)
    assert no_overflow(page)
    page.click("#file-request")
    page.wait_for_selector("#request-status")
    request = ServiceRequest.objects.get()
    assert request.pilot == pilot
    assert request.status == RequestStatus.FILED
    assert dashboard_row(page, live_server, pilot.name)["requests"] == "1"

    # Bureau staff route it to the provider of the service the search ranks first.
    open_as(page, live_server, "officer", width, language)
    page.goto(f"{live_server.url}/nqi/onestop/requests/")
    page.click(f"a[href='/nqi/onestop/requests/{request.pk}/']")
    expect(page.locator("#route-offer option:checked")).to_contain_text(calibration)
    shot(page, "onestop-route", width, language)
    assert no_overflow(page)
    page.click("#route")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "routed")

    # The provider accepts, quotes, delivers and closes.
    open_as(page, live_server, "provider", width, language)
    page.goto(f"{live_server.url}/nqi/onestop/requests/{request.pk}/")
    page.click("#accept")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "accepted")
    page.fill("#quote-amount", "bad")
    page.click("#quote")
    expect(page.locator(".error")).to_contain_text(
        "报价金额" if language == "zh" else "positive amount"
    )
    page.fill("#quote-amount", "240.00")
    page.click("#quote")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "quoted")
    page.fill("#documents", "校准证书 ZZJL-2026-0042")
    shot(page, "onestop-deliver", width, language)
    assert no_overflow(page)
    page.click("#deliver")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "delivered")
    page.click("#close")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "closed")
    served = dashboard_row(page, live_server, pilot.name)
    assert (served["requests"], served["served"], served["satisfaction"]) == ("1", "1", "–")

    # The enterprise accepts the delivery and rates it; the dashboard shows the rating.
    open_as(page, live_server, "alice", width, language)
    page.goto(f"{live_server.url}/nqi/onestop/requests/{request.pk}/")
    page.select_option("#rating", "4")
    page.fill("#comment", "当天出证，很方便")
    page.click("#rate")
    expect(page.locator("#request-status")).to_have_attribute("data-status", "rated")
    shot(page, "onestop-rated", width, language)
    assert no_overflow(page)
    request.refresh_from_db()
    assert (request.rating, request.quote_amount) == (4, Decimal("240.00"))
    assert request.documents == "校准证书 ZZJL-2026-0042"
    after = dashboard_row(page, live_server, pilot.name)
    assert after == {"requests": "1", "served": "1", "satisfaction": "4.0"}
    shot(page, "onestop-dashboard", width, language)
    assert no_overflow(page)
    # The drill-down behind the pilot's request count lists this request.
    page.click(f"#pilot-dashboard tr[data-pilot='{pilot.name}'] .requests a")
    expect(page.locator("#request-table tbody tr")).to_have_count(1)
    expect(page.locator("#request-table")).to_contain_text("扭力扳手")


def body(personas, organization, days, number, until):
    quality_body = services.register_quality_body(
        personas.officer,
        {"organization": organization, "designation": Designation.LABORATORY,
         "turnaround_days": days},
    )  # fmt: skip
    services.add_accreditation(
        personas.officer,
        quality_body,
        {"scheme": Scheme.CNAS_LAB, "number": number, "valid_from": dt.date(2015, 1, 1),
         "valid_until": until},
        [{"product_category": "质量管理体系", "parameter": "认证审核",
          "standard_code": "GB/T 19001-2016"},
         {"product_category": "硬质合金", "parameter": "硬度",
          "standard_code": "GB/T 3849.1-2015"}],
    )  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_capability_search_by_one_code_written_three_ways(
    browser_page, live_server, personas, width, language
):
    body(personas, personas.provider_org, 7, "CNAS L1001", dt.date(2099, 12, 31))
    body(personas, personas.org_b, 3, "CNAS L1002", dt.date(2020, 12, 31))  # expired
    page = browser_page
    open_as(page, live_server, "", width, language)
    page.goto(f"{live_server.url}/nqi/capability/")
    seen = []
    for written in ("GB/T 19001", "GB/T19001-2016", "GB/T 19001—2016"):
        page.fill("#capability-q", written)
        page.click("#capability-search")  # htmx swaps the results in
        expect(page.locator("#capability-count")).to_have_attribute("data-query", written)
        rows = page.locator("#capability-results tr.capability-row")
        expect(rows).to_have_count(2)
        seen.append([rows.nth(i).inner_text() for i in range(2)])
        assert "CNAS L1001" in seen[-1][0]
        assert "GB/T 19001-2016" in seen[-1][0]
        assert "CNAS L1002" in seen[-1][1]  # the expired accreditation is last, marked
        expect(rows.nth(1).locator(".expired-badge")).to_be_visible()
        assert "GB/T 3849" not in " ".join(seen[-1])
    assert seen[0] == seen[1] == seen[2]
    assert "q=GB" in page.url  # the search is in the address, to share
    shot(page, "nqi-capability", width, language)
    assert no_overflow(page)
    page.click("#capability-results tr.capability-row >> nth=0 >> a")
    expect(page.locator("h1")).to_contain_text(str(personas.provider_org.name))
    shot(page, "nqi-body", width, language)
    assert no_overflow(page)
