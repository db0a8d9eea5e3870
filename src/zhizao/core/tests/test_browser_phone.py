"""Phone width (390 px): tables scroll sideways instead of wrapping one character per line, the
page itself never scrolls sideways, and the language switch stays on one line."""

from __future__ import annotations

import pytest

from zhizao.core.testing import browser_login, make_organization, screenshot

PHONE = {"width": 390, "height": 844}


def _layout(page):
    return page.evaluate(
        """() => {
          const doc = document.scrollingElement;
          const buttons = [...document.querySelectorAll('.lang-switch button')];
          const cells = [...document.querySelectorAll('table th, table td')];
          const lineHeight = parseFloat(getComputedStyle(document.body).lineHeight) || 20;
          return {
            pageOverflow: doc.scrollWidth - window.innerWidth,
            langTops: buttons.map(b => Math.round(b.getBoundingClientRect().top)),
            tallestCellLines: Math.max(
              0, ...cells.map(c => c.getBoundingClientRect().height / lineHeight)),
          };
        }"""
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_tables_at_phone_width(personas, live_server, browser):
    for n in range(6):
        make_organization(
            f"株洲手机宽度测试第{n}号有限责任公司",
            personas.tianyuan,
            contact_phone=f"0731-2800000{n}",
        )
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        browser_login(page, live_server.url, "officer")
        page.goto(f"{live_server.url}/console/organizations/")
        page.wait_for_selector("table")
        layout = _layout(page)
        screenshot(page, "phone-organizations-zh")
        assert layout["pageOverflow"] <= 1, layout
        assert len(set(layout["langTops"])) == 1, layout  # both buttons on one line
        assert layout["tallestCellLines"] < 4, layout  # no one-character-per-line columns
    finally:
        context.close()
