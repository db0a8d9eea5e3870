"""The fund ledger's services: who may act, the money rules (Decimal with two places, no grant
beyond the budget left, no payment beyond the grant, in the services and in the database),
audit, notifications on commit, and sums that reconcile."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum

from zhizao.core.actors import system_actor
from zhizao.core.models import MessageDelivery
from zhizao.core.testing import spy_row_locks
from zhizao.funds import services
from zhizao.funds.choices import ApplicationStatus, Decision
from zhizao.funds.models import FundApplication, FundGrant, FundPayment, FundProgramme
from zhizao.funds.tests.factories import DAY, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(personas):
    return programme(personas.tianyuan, budget="100000.00")


def approved(personas, fund, project="项目", asked="60000.00"):
    application = services.submit_fund_application(
        personas.alice, fund, personas.org_a, project, asked
    )
    return services.review_fund_application(
        personas.district_officer, application, decision=Decision.APPROVE, score="88.5"
    )


def test_money_is_decimal_with_two_places():
    assert services.to_money("1,234.50") == Decimal("1234.50")
    assert services.to_money(Decimal("7")) == Decimal("7.00")
    for bad, why in (
        (0.1, "not a float"),
        ("1.005", "two decimal places"),
        ("0", "above zero"),
        ("-5", "above zero"),
        ("abc", "not an amount"),
        ("NaN", "finite"),
    ):
        with pytest.raises(ValidationError, match=why):
            services.to_money(bad)


def test_only_the_applicant_or_its_staff_may_apply(personas, fund):
    for name in ("bob", "tester", "assessor", "committee"):
        with pytest.raises(PermissionDenied):
            services.submit_fund_application(
                getattr(personas, name), fund, personas.org_a, "项目", "100.00"
            )
    assert not FundApplication.objects.exists()
    application = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "项目", "100.00"
    )
    assert application.city == personas.city
    assert application.history.latest().history_user == personas.alice


def test_only_staff_of_the_applicants_region_review_and_grant(personas, fund):
    application = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "项目", "100.00"
    )
    for name in ("alice", "bob", "assessor", "tester"):
        with pytest.raises(PermissionDenied):
            services.review_fund_application(
                getattr(personas, name), application, decision=Decision.APPROVE
            )
    # The city's officer administers the district's fund for the district's applicants.
    reviewed = services.review_fund_application(
        personas.officer, application, decision=Decision.APPROVE, score=90
    )
    assert reviewed.status == ApplicationStatus.APPROVED
    with pytest.raises(ValidationError, match="already been decided"):
        services.review_fund_application(personas.officer, application, decision=Decision.REJECT)
    with pytest.raises(ValidationError, match="0 to 100"):
        services.review_fund_application(
            personas.officer,
            services.submit_fund_application(personas.alice, fund, personas.org_a, "二", "1.00"),
            decision=Decision.APPROVE,
            score="101",
        )


def test_a_grant_cannot_exceed_the_budget_left_nor_the_amount_asked(personas, fund):
    first = approved(personas, fund, "一", "60000.00")
    second = approved(personas, fund, "二", "60000.00")
    with pytest.raises(ValidationError, match="exceeds the amount asked"):
        services.grant_fund(personas.district_officer, first, "60000.01", DAY)
    services.grant_fund(personas.district_officer, first, "60000.00", DAY)
    with pytest.raises(ValidationError, match="exceeds the budget left"):
        services.grant_fund(personas.district_officer, second, "40000.01", DAY)
    assert FundGrant.objects.count() == 1
    services.grant_fund(personas.district_officer, second, "40000.00", DAY)
    fund.refresh_from_db()
    assert fund.granted_total == fund.budget == Decimal("100000.00")
    assert fund.budget_left == 0


def test_grant_locks_the_application_and_the_programme(personas, fund, monkeypatch):
    application = approved(personas, fund)
    locked = spy_row_locks(monkeypatch)
    services.grant_fund(personas.district_officer, application, "100.00", DAY)
    assert locked[:2] == [FundApplication, FundProgramme]


def test_the_database_refuses_a_total_beyond_the_budget_or_the_grant(personas, fund):
    application = approved(personas, fund)
    grant = services.grant_fund(personas.district_officer, application, "500.00", DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundProgramme.objects.filter(pk=fund.pk).update(granted_total=Decimal("100000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundGrant.objects.filter(pk=grant.pk).update(paid_total=Decimal("500.01"))


def test_payments_cannot_exceed_the_grant(personas, fund):
    grant = services.grant_fund(personas.district_officer, approved(personas, fund), "1000.00", DAY)
    services.record_payment(personas.district_officer, grant, "600.00", DAY, "V-1")
    with pytest.raises(ValidationError, match="exceeds what is unpaid"):
        services.record_payment(personas.district_officer, grant, "400.01", DAY, "V-2")
    with pytest.raises(ValidationError, match="before its grant"):
        services.record_payment(
            personas.district_officer, grant, "1.00", DAY - dt.timedelta(days=1), "V-3"
        )
    with pytest.raises(PermissionDenied):
        services.record_payment(personas.alice, grant, "1.00", DAY, "V-4")
    services.record_payment(personas.district_officer, grant, "400.00", DAY, "V-2")
    grant.refresh_from_db()
    assert grant.paid_total == grant.amount


def test_a_grant_is_told_to_the_organization_only_on_commit(
    personas, fund, django_capture_on_commit_callbacks
):
    personas.alice.email = "alice@example.invalid"
    personas.alice.save()
    application = approved(personas, fund)
    with django_capture_on_commit_callbacks() as queued:
        grant = services.grant_fund(personas.district_officer, application, "100.00", DAY)
    assert len(queued) == 1
    assert MessageDelivery.objects.get().address == "alice@example.invalid"
    assert grant.history.latest().history_user == personas.district_officer
    with django_capture_on_commit_callbacks() as queued, pytest.raises(ValidationError):
        services.grant_fund(personas.district_officer, application, "100.00", DAY)
    assert queued == []


def test_an_adopted_grant_is_recorded_once(personas, fund):
    services.adopt_grant(
        personas.district_officer,
        fund,
        personas.org_a,
        "2000.00",
        DAY,
        source_ref="standards.rewardgrant:7",
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.adopt_grant(
            personas.district_officer,
            fund,
            personas.org_a,
            "2000.00",
            DAY,
            source_ref="standards.rewardgrant:7",
        )
    with pytest.raises(ValidationError, match=r"app\.model:id"):
        services.adopt_grant(
            personas.district_officer, fund, personas.org_a, "1.00", DAY, source_ref="seven"
        )
    fund.refresh_from_db()
    assert fund.granted_total == Decimal("2000.00")


def test_documents_must_be_pdf_by_content(personas, fund):
    application = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "项目", "100.00"
    )
    with pytest.raises(ValidationError, match="not a PDF"):
        services.add_fund_document(
            personas.alice, application, SimpleUploadedFile("fake.pdf", b"<html>")
        )
    with pytest.raises(PermissionDenied):
        services.add_fund_document(
            personas.bob, application, SimpleUploadedFile("a.pdf", b"%PDF-1.4")
        )
    document = services.add_fund_document(
        personas.alice, application, SimpleUploadedFile("plan-upload.pdf", b"%PDF-1.4 x")
    )
    name = str(document.file.name)
    assert name.startswith("funds/documents/")
    assert "plan-upload" not in name


def test_the_sums_reconcile(personas, fund):
    """The totals kept on the programme and grants equal the sums of the ledger's rows."""
    other = programme(personas.city, code="city-fund", budget="5000.00")
    for index in range(5):
        application = approved(personas, fund, f"项目{index}", "9999.99")
        grant = services.grant_fund(personas.district_officer, application, "9999.99", DAY)
        services.record_payment(personas.district_officer, grant, "3333.33", DAY, f"A{index}")
        services.record_payment(personas.district_officer, grant, "3333.33", DAY, f"B{index}")
    services.adopt_grant(
        system_actor(), other, personas.org_b, "4999.99", DAY, source_ref="standards.rewardgrant:1"
    )
    for each in FundProgramme.objects.all():
        total = each.grants.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
        assert each.granted_total == total
        assert each.granted_total <= each.budget
    for grant in FundGrant.objects.all():
        paid = grant.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
        assert grant.paid_total == paid
    fund.refresh_from_db()
    assert fund.granted_total == Decimal("49999.95")
    assert FundPayment.objects.aggregate(s=Sum("amount"))["s"] == Decimal("33333.30")


def test_the_apply_page_saves_the_application_and_its_document_together(personas, fund):
    from django.urls import reverse

    client = personas.client("alice")
    url = reverse("funds:apply", args=[fund.code])
    response = client.post(
        url,
        {
            "project": "标准研制",
            "amount_requested": "1000.5",
            "file": SimpleUploadedFile("plan.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "not a PDF" in response.content.decode()
    assert not FundApplication.objects.exists()  # all or nothing
    response = client.post(url, {"project": "标准研制", "amount_requested": "1000.555"})
    assert "two decimal places" in response.content.decode()
    response = client.post(
        url,
        {
            "project": "标准研制",
            "amount_requested": "1,000.50",
            "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        },
    )
    assert response.status_code == 302
    application = FundApplication.objects.get()
    assert (application.organization, application.amount_requested) == (
        personas.org_a,
        Decimal("1000.50"),
    )
    assert application.documents.count() == 1
    assert personas.client("officer").get(url).status_code == 403


def test_a_market_tester_does_not_apply_for_its_market(personas, fund):
    with pytest.raises(PermissionDenied):
        services.submit_fund_application(personas.tester, fund, personas.market, "项目", "1.00")
