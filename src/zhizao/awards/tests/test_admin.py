"""The staff console (Django admin) of awards, the honours registry and rapid testing: every
changelist, add and change page answers for the superuser, state changes that have services are
read-only, and bureau staff get no admin access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory, Outcome, ReviewStage, ReviewTrigger, Status
from zhizao.awards.models import Application, AwardEdition, AwardResult
from zhizao.awards.tests.conftest import run_stage, to_material
from zhizao.rapidtest.choices import CaseStatus, CorrectionAction, QuotaPeriod, Source
from zhizao.rapidtest.models import (
    FollowUpCase,
    ImportBatch,
    MarketProfile,
    Product,
    RecordCorrection,
    RoomQuota,
    Stall,
    TestItem,
    TestRecord,
)
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db

APPS = ("awards", "registry", "rapidtest")


@pytest.fixture
def records(personas, application, assessors):
    """At least one row of every model the three apps register in the admin."""
    app = to_material(personas, application)
    app = run_stage(personas, app, ReviewStage.MATERIAL, assessors)
    app = run_stage(personas, app, ReviewStage.ONSITE, assessors[:2])
    app = services.decide(personas.committee, app, Outcome.AWARD, "表决通过")
    services.file_public_objection(
        app, objector_name="王五", objector_contact="13800000000", text="材料不实"
    )
    services.declare_conflict(personas.assessor, personas.org_b, "曾任顾问")
    historic = services.record_historic_result(
        personas.officer,
        app.edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="乙测试企业有限公司",
        city=personas.city,
        organization=personas.org_b,
    )
    services.open_validity_review(personas.officer, historic, ReviewTrigger.INCIDENT, "抽检不合格")
    market = personas.market
    MarketProfile.objects.create(organization=market)
    stall = Stall.objects.create(market=market, booth_number="A01")
    product = Product.objects.get(name="青菜")
    item = TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留")
    RoomQuota.objects.create(market=market, period=QuotaPeriod.WEEK, batches=20)
    batch = ImportBatch.objects.create(
        file_name="tests.xlsx", sha256="0" * 64, rows=1, source=Source.IMPORT
    )
    now = timezone.now()
    failed = None
    for index in range(30):
        record = TestRecord.objects.create(
            market=market,
            stall=stall,
            product=product,
            item=item,
            tested_at=now - dt.timedelta(hours=index),
            value=70.0 if index == 0 else 10.0,
            passed=index != 0,
            source=Source.IMPORT,
            client_record_id=f"r{index}",
            import_batch=batch,
        )
        failed = failed or record
    assert failed is not None
    FollowUpCase.objects.create(
        record=failed, market=market, opened_at=now, due_at=now + dt.timedelta(hours=72)
    )
    RecordCorrection.objects.create(
        record_id=failed.pk,
        market=market,
        actor=personas.tester,
        action=CorrectionAction.CORRECTED,
        before={"value": 71.0},
        after={"value": 70.0},
        reason="录入错误",
    )
    return app


def _admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
    ]


def test_every_admin_page_answers_for_the_superuser(personas, records):
    client = personas.client("admin")
    registered = _admins()
    assert {model._meta.model_name for model, _admin in registered} >= {
        "awardprogramme",
        "awardedition",
        "application",
        "publicnotice",
        "objection",
        "awardresult",
        "validityreview",
        "honour",
        "marketprofile",
        "stall",
        "product",
        "testitem",
        "roomquota",
        "followupcase",
        "importbatch",
        "recordcorrection",
        "testrecord",
    }
    request = client.get("/").wsgi_request
    request.user = personas.admin
    for model, model_admin in registered:
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, info
        add = client.get(reverse("admin:{}_{}_add".format(*info)))
        assert add.status_code == (200 if model_admin.has_add_permission(request) else 403), info
        obj = model._default_manager.first()
        assert obj is not None, info
        change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert change.status_code == 200, info
        history = client.get(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        assert history.status_code == 200, info


def test_bureau_staff_get_no_admin_access(personas, records):
    client = personas.client("officer")
    for url in (
        reverse("admin:index"),
        reverse("admin:awards_application_changelist"),
        reverse("admin:rapidtest_testrecord_changelist"),
        reverse("admin:registry_honour_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert personas.client("anonymous").get(reverse("admin:index")).status_code == 302


def test_services_own_the_state_changes(personas, records):
    """Status, transitions, publication, objections' resolution and case closure cannot be
    changed by posting the admin's forms."""
    client = personas.client("admin")
    app = Application.objects.get(pk=records.pk)
    url = reverse("admin:awards_application_change", args=[app.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page
    assert client.post(url, {"status": Status.AWARDED}).status_code == 403
    app.refresh_from_db()
    assert app.status == Status.PUBLIC_NOTICE
    objection = app.objections.get()
    url = reverse("admin:awards_objection_change", args=[objection.pk])
    assert client.post(url, {"status": "dismissed"}).status_code == 403
    case = FollowUpCase.objects.get()
    url = reverse("admin:rapidtest_followupcase_change", args=[case.pk])
    assert client.post(url, {"status": CaseStatus.CLOSED}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    record = TestRecord.objects.first()
    assert record is not None
    url = reverse("admin:rapidtest_testrecord_change", args=[record.pk])
    assert client.post(url, {"value": "1"}).status_code == 403
    assert client.get(reverse("admin:rapidtest_testrecord_add")).status_code == 403
    # The notice's objection window and the result's publication are read-only fields.
    notice = app.notice
    assert notice is not None
    page = client.get(reverse("admin:awards_publicnotice_change", args=[notice.pk])).content
    assert b'name="objection_ends_at' not in page
    assert b'name="title"' in page
    result = AwardResult.objects.filter(published_at__isnull=False).first()
    assert result is not None
    page = client.get(reverse("admin:awards_awardresult_change", args=[result.pk])).content
    assert b'name="published_at' not in page
    assert b'name="name_as_awarded"' not in page  # published: read-only


def test_publish_action_calls_the_service(personas, edition):
    result = services.record_historic_result(
        personas.officer,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded="甲测试企业有限公司",
        city=personas.city,
        organization=personas.org_a,
        publish=False,
    )
    assert not Honour.objects.filter(award_result=result).exists()
    response = personas.client("admin").post(
        reverse("admin:awards_awardresult_changelist"),
        {"action": "publish_results", "_selected_action": [result.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 result was published." in response.content.decode()
    result.refresh_from_db()
    assert result.published_at is not None
    assert Honour.objects.filter(award_result=result).exists()


def test_edition_admin_validates_the_dates(personas, edition):
    url = reverse("admin:awards_awardedition_change", args=[edition.pk])
    data = {
        "programme": edition.programme_id,
        "number": edition.number,
        "year": edition.year,
        "opens_at_0": "2026-05-01",
        "opens_at_1": "09:00",
        "submission_deadline_0": "2026-04-01",
        "submission_deadline_1": "09:00",
        "award_quota": 3,
        "nomination_quota": 2,
        "min_years_in_operation": 3,
        "incident_free_years": 3,
        "objection_days": 7,
    }
    response = personas.client("admin").post(url, data)
    assert response.status_code == 200
    assert "The deadline must be after the opening date." in response.content.decode()
    # The number is the edition's as it was opened: read-only on its page, checked on the add
    # page, which opens the edition through services.create_edition.
    data.update(number=8, submission_deadline_0="2026-06-01")
    response = personas.client("admin").post(url, data, follow=True)
    edition.refresh_from_db()
    assert edition.number != 8
    assert edition.submission_deadline.date() == dt.date(2026, 6, 1)
    assert edition.history.latest().history_user == personas.admin
    AwardEdition.objects.create(programme=edition.programme, number=8, year=edition.year + 1)
    add = reverse("admin:awards_awardedition_add")
    response = personas.client("admin").post(add, data)
    assert "This programme already has an edition number 8." in response.content.decode()
    data.update(number=9)
    response = personas.client("admin").post(add, data)
    assert response.status_code == 302
    opened = AwardEdition.objects.get(programme=edition.programme, number=9)
    assert opened.history.latest().history_user == personas.admin


def test_honours_of_awards_are_read_only_and_not_added_by_hand(personas, records):
    client = personas.client("admin")
    honour = Honour.objects.exclude(award_result=None).first()
    assert honour is not None
    page = client.get(reverse("admin:registry_honour_change", args=[honour.pk])).content
    assert b'name="holder_name"' not in page
    response = client.post(
        reverse("admin:registry_honour_add"),
        {
            "kind": "mayor_award",
            "year": 2024,
            "holder_kind": "organization",
            "holder_name": "丙公司",
            "city": personas.city.pk,
        },
    )
    assert response.status_code == 200
    assert "recorded from published award results" in response.content.decode()


def test_testrecord_changelist_has_no_n_plus_one(personas, records, django_assert_max_num_queries):
    client = personas.client("admin")
    url = reverse("admin:rapidtest_testrecord_changelist")
    with django_assert_max_num_queries(15):
        response = client.get(url, {"passed__exact": "1", "market__kind": "farmers_market"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 29


def test_a_result_is_added_through_the_service_and_then_read_only(personas, edition):
    client = personas.client("admin")
    data = {
        "edition": edition.pk,
        "category": AwardCategory.ORGANIZATION,
        "outcome": Outcome.NOT_AWARDED,
        "name_as_awarded": "甲测试企业有限公司",
        "holder_title": "",
        "organization": personas.org_a.pk,
        "person": "",
        "city": personas.city.pk,
        "source": "公告",
    }
    # services.record_historic_result's own rule (only awards and nominations are recorded)
    # comes back as a message above the form; nothing is saved or logged.
    response = client.post(reverse("admin:awards_awardresult_add"), data, follow=True)
    assert "Only awards and nomination awards are recorded." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:awards_awardresult_add")
    assert not AwardResult.objects.exists()
    assert not LogEntry.objects.exists()
    data["outcome"] = Outcome.AWARD
    response = client.post(reverse("admin:awards_awardresult_add"), data)
    assert response.status_code == 302
    result = AwardResult.objects.get()
    assert result.published_at is None  # published by the action, not by adding
    assert result.history.latest().history_user == personas.admin
    url = reverse("admin:awards_awardresult_change", args=[result.pk])
    assert b'name="name_as_awarded"' not in client.get(url).content
    assert client.post(url, {**data, "name_as_awarded": "改名"}).status_code == 403
    result.refresh_from_db()
    assert result.name_as_awarded == "甲测试企业有限公司"
