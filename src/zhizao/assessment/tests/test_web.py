"""The assessment pages, on records the tests make: a bad document refused with its reason on
the page, the template pages (items, indicator lines, copies), the demo template's label, and
the lists' query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from zhizao.assessment import demo, services
from zhizao.assessment.choices import DEMO_LABEL_ZH
from zhizao.assessment.models import AssessmentDocument, AssessmentTemplate, Item
from zhizao.assessment.tests import factories
from zhizao.core.testing import assert_list_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(personas):
    template = factories.make_template(personas.officer, first="honours.mayor_award")
    return services.open_assessment(
        personas.officer, template, personas.city, factories.done_snapshot(personas.city)
    )


def test_a_bad_upload_is_refused_on_the_page_with_its_reason(personas, assessment):
    item = assessment.template.items.get(number="1.1")
    response = personas.client("officer").post(
        reverse("assessment:assessment", args=[assessment.pk]),
        {
            "action": "attach",
            "item": item.pk,
            f"doc{item.pk}-file": factories.upload("自评报告.docx", b"MZ\x90\x00 program"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "自评报告.docx is not a PDF, DOCX or XLSX file" in page
    assert not AssessmentDocument.objects.exists()


def test_a_score_above_the_points_is_refused_on_the_page(personas, assessment):
    item = assessment.template.items.get(number="1.2")
    response = personas.client("officer").post(
        reverse("assessment:assessment", args=[assessment.pk]),
        {"action": "score", "item": item.pk, f"item{item.pk}-self_score": "9"},
    )
    assert "the self-score must be between 0 and 4 points" in response.content.decode()


def test_items_are_added_and_edited_on_the_template_pages(personas, assessment):
    client = personas.client("officer")
    template = services.create_template(personas.officer, 2022, "编辑测试")
    url = reverse("assessment:template", args=[template.pk])
    bad = client.post(
        url,
        {"number": "1", "title_zh": "快检", "points": "10", "indicators": "rapidtest.nope >= 98"},
    )
    assert "Line 1: rapidtest.nope is not a registered indicator" in bad.content.decode()
    assert not template.items.exists()
    good = client.post(
        url,
        {"number": "1", "title_zh": "快检", "points": "10", "indicators": "incidents.major <= 0"},
    )
    assert good.status_code == 302
    item = template.items.get()
    assert [str(mapping) for mapping in item.indicators.all()] == ["incidents.major <= 0"]
    assert item.history.latest().history_user == personas.officer
    edit = client.post(
        reverse("assessment:item", args=[item.pk]),
        {"number": "1", "title_zh": "食用农产品快检", "points": "12", "indicators": ""},
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert (item.title_zh, item.points, item.indicators.count()) == (
        "食用农产品快检",
        Decimal(12),
        0,
    )
    copied = client.post(
        reverse("assessment:templates"), {"action": "copy", "source": template.pk, "year": "2023"}
    )
    assert copied.status_code == 302
    copy = AssessmentTemplate.objects.get(year=2023)
    assert list(copy.items.values_list("title_zh", flat=True)) == ["食用农产品快检"]
    # A template an assessment uses keeps its items.
    used = assessment.template.items.get(number="2")
    refused = client.post(
        reverse("assessment:item", args=[used.pk]), {"action": "delete"}, follow=True
    )
    assert "copy it instead" in refused.content.decode()
    assert Item.objects.filter(pk=used.pk).exists()


def test_the_demo_template_is_labelled_as_a_demo(personas):
    summary = demo.load()
    template = AssessmentTemplate.objects.get(is_demo=True)
    assert DEMO_LABEL_ZH in template.name
    assert summary["items"] == template.items.count() == len(demo.ITEMS)
    assert template.total_points == 100
    page = personas.client("officer").get(reverse("assessment:template", args=[template.pk]))
    assert "Demo template, not the province" in page.content.decode()
    demo.load()  # a second load changes nothing
    assert template.items.count() == len(demo.ITEMS)


def test_lists_read_a_bounded_number_of_queries(personas):
    regions = []
    for year in range(2010, 2022):
        template = services.create_template(personas.officer, year, f"考核细则{year}")
        services.open_assessment(
            personas.officer, template, personas.city, factories.done_snapshot(personas.city, year)
        )
        regions.append(f"考核细则{year}")
    client = personas.client("officer")
    assert_list_queries(client, reverse("assessment:index"), rows=12, max_queries=11, shows=regions)
    assert_list_queries(
        client, reverse("assessment:templates"), rows=12, max_queries=11, shows=regions
    )
    assert_list_queries(
        client, "/api/v1/assessment/assessments?limit=100", rows=12, max_queries=8, shows=regions
    )


def test_a_large_pack_is_built_in_the_background(personas, assessment, monkeypatch):
    from zhizao.assessment import views
    from zhizao.core.models import Job

    monkeypatch.setattr(views, "PACK_SYNC_MAX_RECORDS", -1)
    response = personas.client("officer").post(reverse("assessment:pack", args=[assessment.pk]))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.kind, job.owner, job.params["assessment"]) == (
        "assessment.evidence_pack",
        personas.officer,
        assessment.pk,
    )
