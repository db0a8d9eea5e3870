"""In a browser: an enterprise applies; the district officer finds the application in the
filtered list, reviews it (score, decision), grants it and records a payment with its voucher
scan; the programme page's totals (granted, paid, left) follow each step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhizao.core.testing import browser_login, screenshot
from zhizao.funds.choices import ApplicationStatus
from zhizao.funds.models import FundApplication, FundGrant, FundPayment
from zhizao.funds.tests.factories import programme


def _as(page, base, name):
    page.context.clear_cookies()
    browser_login(page, base, name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_review_grant_and_payment_update_the_programme_totals(
    browser_page, live_server, personas, tmp_path
):
    page, base = browser_page, live_server.url
    fund = programme(personas.tianyuan, code="browser-fund", budget="1000000.00")
    programme_url = f"{base}/funds/programmes/{fund.code}/"

    # The enterprise applies for its own organization.
    _as(page, base, "alice")
    page.goto(programme_url)
    page.click("#apply")
    page.fill("#id_project", "主导制定行业标准")
    page.fill("#id_amount_requested", "80000.00")
    page.click("#fund-application-form button[type=submit]")
    page.wait_for_url(f"**/funds/programmes/{fund.code}/")
    application = FundApplication.objects.get()
    page.goto(f"{base}/funds/applications/")
    assert "主导制定行业标准" in page.inner_text("#application-table")

    # The district officer filters the list (htmx), opens the application and reviews it.
    _as(page, base, "district_officer")
    page.goto(f"{base}/funds/applications/")
    page.select_option("#id_status", "submitted")
    page.wait_for_url("**status=submitted**")
    page.wait_for_selector("#application-results .chip")
    page.click(f"#application-table a[href='/funds/applications/{application.pk}/']")
    page.select_option("#id_decision", "approve")
    page.fill("#id_score", "88.5")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#grant-form")
    assert FundApplication.objects.get().status == ApplicationStatus.APPROVED

    # A grant above the amount asked is refused with the reason; then the right amount.
    page.fill("#id_amount", "90000.00")
    page.fill("#id_granted_on", "2022-05-10")
    page.click("#grant-form button[type=submit]")
    page.wait_for_selector("#grant-form .errorlist")
    assert "exceeds the amount asked" in page.inner_text("#grant-form")
    page.fill("#id_amount", "50000.00")
    page.click("#grant-form button[type=submit]")
    page.wait_for_selector("#payment-form")
    grant = FundGrant.objects.get()
    assert grant.amount == Decimal("50000.00")
    page.goto(programme_url)
    assert page.inner_text("#total-granted") == "50,000.00"
    assert page.inner_text("#total-left") == "950,000.00"
    assert page.inner_text("#total-paid") == "0.00"

    # A payment with a voucher scan that is not a PDF is refused; then with the PDF.
    page.goto(f"{base}/funds/grants/{grant.pk}/")
    fake = tmp_path / "voucher.pdf"
    fake.write_bytes(b"PK\x03\x04 not a pdf")
    scan = tmp_path / "pz-001.pdf"
    scan.write_bytes(b"%PDF-1.4\n% voucher\n")
    page.fill("#id_amount", "20000.00")
    page.fill("#id_paid_on", "2022-06-01")
    page.fill("#id_voucher", "TYPZ-2022-001")
    page.set_input_files("#id_voucher_file", str(fake))
    page.click("#payment-form button[type=submit]")
    page.wait_for_selector("#payment-form .errorlist")
    assert "not a PDF" in page.inner_text("#payment-form")
    assert not FundPayment.objects.exists()
    page.fill("#id_amount", "20000.00")
    page.fill("#id_paid_on", "2022-06-01")
    page.fill("#id_voucher", "TYPZ-2022-001")
    page.set_input_files("#id_voucher_file", str(scan))
    page.click("#payment-form button[type=submit]")
    page.wait_for_selector("#payments a")
    assert page.inner_text("#grant-paid") == "20,000.00"
    assert page.inner_text("#grant-unpaid") == "30,000.00"
    screenshot(page, "funds-grant-payment")
    page.goto(programme_url)
    assert page.inner_text("#total-granted") == "50,000.00"
    assert page.inner_text("#total-paid") == "20,000.00"
    assert page.inner_text("#total-left") == "950,000.00"
    screenshot(page, "funds-programme-totals")

    # The enterprise sees its grant and payment, but not the forms.
    _as(page, base, "alice")
    page.goto(f"{base}/funds/grants/{grant.pk}/")
    assert "TYPZ-2022-001" in page.inner_text("#payments")
    assert page.locator("#payment-form").count() == 0
