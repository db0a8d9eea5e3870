"""The fund pages on records these tests make: the applications list's filters and its query
count, the programme's totals, the review/grant/payment views' refusals, and the voucher scan
(a PDF, checked by its content; served only to those who may read the grant)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhizao.core.testing import assert_list_queries, make_organization
from zhizao.funds import services
from zhizao.funds.choices import ApplicationStatus, Decision
from zhizao.funds.models import FundPayment
from zhizao.funds.tests.factories import programme

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 voucher"


def _applications(personas, count=12):
    fund = programme(personas.tianyuan, code="pages-fund", budget="1000000.00")
    rows = []
    for index in range(count):
        org = make_organization(f"列表测试企业{index:02d}有限公司", personas.tianyuan)
        rows.append(
            services.submit_fund_application(
                personas.district_officer, fund, org, f"项目{index:02d}", "1000.00"
            )
        )
    return fund, rows


def test_the_applications_list_filters_and_does_not_query_per_row(personas):
    _fund, rows = _applications(personas)
    services.review_fund_application(personas.district_officer, rows[0], decision=Decision.REJECT)
    client = personas.client("district_officer")
    assert_list_queries(
        client,
        reverse("funds:applications"),
        rows=12,
        max_queries=8,
        shows=[f"项目{index:02d}" for index in range(12)],
    )
    url = reverse("funds:applications")
    rejected = client.get(url, {"status": ApplicationStatus.REJECTED}).content.decode()
    assert "项目00" in rejected
    assert "项目01" not in rejected
    partial = client.get(url, {"q": "企业05"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "项目05" in partial
    assert "项目06" not in partial
    assert 'data-filter="q"' in partial  # the chip of the active filter
    other = client.get(url, {"programme": "no-such-fund"}).content.decode()
    assert "Select a valid choice" in other  # an unknown programme is named as a form error
    # Another enterprise sees none of them; the applicant sees its own only.
    assert "项目" not in personas.client("bob").get(url).content.decode().split("<tbody>")[1]


def test_payments_keep_their_voucher_scan_for_those_who_may_read_the_grant(personas):
    fund = programme(personas.tianyuan, code="voucher-fund")
    application = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "项目", "5000.00"
    )
    services.review_fund_application(
        personas.district_officer, application, decision=Decision.APPROVE
    )
    grant = services.grant_fund(
        personas.district_officer, application, "5000.00", dt.date(2022, 5, 1)
    )
    client = personas.client("district_officer")
    pay = reverse("funds:pay", args=[grant.pk])
    refused = client.post(
        pay,
        {
            "amount": "1000.00",
            "paid_on": "2022-06-01",
            "voucher": "PZ-1",
            "voucher_file": SimpleUploadedFile("pz.pdf", b"GIF89a", content_type="application/pdf"),
        },
    )
    assert refused.status_code == 200
    assert "not a PDF" in refused.content.decode()
    too_much = client.post(pay, {"amount": "5000.01", "paid_on": "2022-06-01", "voucher": "PZ-1"})
    assert "exceeds what is unpaid" in too_much.content.decode()
    assert not FundPayment.objects.exists()
    done = client.post(
        pay,
        {
            "amount": "1000.00",
            "paid_on": "2022-06-01",
            "voucher": "PZ-1",
            "voucher_file": SimpleUploadedFile("pz.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert done.status_code == 302
    payment = FundPayment.objects.get()
    assert payment.voucher_file_name == "pz.pdf"
    assert payment.history.latest().history_user == personas.district_officer
    voucher = reverse("funds:voucher", args=[payment.pk])
    served = personas.client("alice").get(voucher)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert personas.client("bob").get(voucher).status_code == 404
    page = client.get(reverse("funds:programme", args=[fund.code])).content.decode()
    assert 'id="total-paid">1,000.00' in page
    assert 'id="total-left">995,000.00' in page
