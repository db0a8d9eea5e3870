"""Issue 19, "Finding things", in the browser: choosing a filter on the organization list
refreshes the table through htmx (under the site's CSP), puts the filter in the URL and shows it
as a chip; the chip's × removes it. With ZHIZAO_TOUR_IMAGES=docs/img the picture for the README's
tour is written there too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from zhizao.core.permissions import organizations_with_private_access
from zhizao.core.testing import browser_login, make_organization, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_filter_chips_on_the_organization_list(browser_page, live_server, personas):
    make_organization("天元第二测试企业有限公司", personas.tianyuan)
    # Every organization of the personas' and this one: the officer's city holds them all.
    everyone = organizations_with_private_access(personas.officer).count()
    page, base = browser_page, live_server.url
    browser_login(page, base, "officer")
    page.goto(f"{base}/console/organizations/")
    assert page.locator("#organization-table tbody tr").count() == everyone
    page.select_option("#id_region", label="天元区")  # the officer reads Chinese
    chip = page.locator('.chip[data-filter="region"]')
    chip.wait_for()  # the table was swapped by htmx, no reload
    assert "区县：天元区" in chip.inner_text()  # a Chinese colon
    assert f"region={personas.tianyuan.pk}" in page.url
    assert page.locator("#organization-table tbody tr").count() == 2
    shot = screenshot(page, "core-organizations-filtered")
    if target := os.environ.get("ZHIZAO_TOUR_IMAGES"):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / "tour-officer-organizations-filtered-zh.png")
    chip.locator("a").click()
    page.wait_for_url(lambda url: "region=" not in url)
    assert page.locator(".chip").count() == 0
    assert page.locator("#organization-table tbody tr").count() == everyone
