"""The phone entry form keeps the chosen product and test item when it comes back with an error
(issue 19), in the browser where the tester met it."""

import pytest

from zhizao.core.testing import browser_login
from zhizao.rapidtest.models import MarketProfile, TestRecord


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entry_keeps_product_and_item_after_an_error(browser_page, live_server, personas):
    MarketProfile.objects.create(organization=personas.market)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "tester")
    page.goto(f"{live_server.url}/rapidtest/entry/")
    page.fill("#product-search", "青")
    page.click("[data-product]:has-text('青菜')")
    page.wait_for_selector("#id_item option:has-text('有机磷')", state="attached")
    chosen = page.eval_on_selector("#id_item", "select => select.value")
    assert chosen
    picked = page.input_value("#product-search")
    assert picked.startswith("青菜")
    assert "vegetables" not in picked  # the name, not the category
    page.fill("#id_value", "很多")  # neither a number nor 阴性/阳性
    page.click("button.rt-big")
    page.wait_for_selector(".field.has-error")
    assert TestRecord.objects.count() == 0
    # The product and the item are still chosen …
    assert page.input_value("#product-search") == picked
    assert page.input_value("#id_product") != ""
    assert page.eval_on_selector("#id_item", "select => select.value") == chosen
    # … so correcting the value alone saves the test.
    page.fill("#id_value", "12.5")
    page.click("button.rt-big")
    page.wait_for_selector(".message.success")
    record = TestRecord.objects.get()
    assert (record.product.name, str(record.item_id)) == ("青菜", chosen)
