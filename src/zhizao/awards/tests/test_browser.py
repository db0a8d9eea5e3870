"""Done-when: one application through the whole award cycle in a browser, with three assessors,
a refused conflicted assignment and a flagged spread."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhizao.awards.choices import AwardLevel
from zhizao.awards.models import Application, AwardEdition, AwardProgramme, AwardResult
from zhizao.awards.tests.conftest import make_assessor
from zhizao.core.testing import browser_login, screenshot
from zhizao.indicators.excellence import GBT19580_2012_ITEMS
from zhizao.registry.models import Honour


def _as(page, base, name):
    page.context.clear_cookies()
    browser_login(page, base, name)


def _score(page, base, app_pk, stage, percent, overrides=None):
    page.goto(f"{base}/awards/applications/{app_pk}/score/{stage}/")
    for item in GBT19580_2012_ITEMS:
        value = (overrides or {}).get(item.code, percent)
        page.select_option(f"select[name='percent_{item.code}']", str(value))
    page.fill("textarea[name='comment_4.4.1']", "人力资源开发系统化")
    page.click("#scoring-form button[type=submit]")
    page.wait_for_url(f"**/consensus/{stage}/")


def _transition(page, to_status, reason=""):
    form = page.locator(f"#transitions button[data-to='{to_status}']").locator("xpath=..")
    if reason:
        form.locator("input[name=reason]").fill(reason)
    form.locator("button").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_application_through_the_whole_cycle(browser_page, live_server, personas):
    page, base = browser_page, live_server.url
    programme = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )
    now = timezone.now()
    edition = AwardEdition.objects.create(
        programme=programme,
        number=7,
        year=now.year,
        opens_at=now - dt.timedelta(days=1),
        submission_deadline=now + dt.timedelta(days=5),
        award_quota=3,
        min_years_in_operation=3,
        incident_free_years=3,
        objection_days=0,
        blind_material_review=True,
        feedback_release_on=timezone.localdate(),
    )
    make_assessor("assessor2")
    make_assessor("assessor3")
    make_assessor("conflicted", personas.org_a)

    # Enterprise: apply, self-assess, declare, submit.
    _as(page, base, "alice")
    page.goto(f"{base}/awards/editions/{edition.pk}/apply/")
    page.fill("#id_established_on", "2008-05-01")
    page.fill("#id_summary", "甲测试企业：轨道交通装备零部件制造。")
    page.click("#application-form button[type=submit]")
    page.wait_for_url("**/awards/applications/*/")
    app = Application.objects.get()
    page.select_option("#id_item_code", "4.1.1")
    page.fill("#id_narrative", "高层领导确立“质量第一”的战略并亲自推动卓越绩效模式。")
    page.click("#self-assessment-form button[type=submit]")
    page.check("#id_declaration_accepted")
    page.check("#id_declared_no_incident")
    page.click("#declaration-form button[type=submit]")
    _transition(page, "submitted")
    assert "Submitted" in page.inner_text("#status")
    screenshot(page, "awards_01_submitted")

    # Staff: eligibility review, incident check, assessors (one refused for conflict).
    _as(page, base, "officer")
    page.goto(f"{base}/awards/applications/{app.pk}/")
    _transition(page, "eligibility_review")
    page.select_option("#id_passed", "1")
    page.fill("#id_note", "近3年无重大质量安全事故（人工核查）")
    page.click("#eligibility button[type=submit]")
    _transition(page, "material_review")
    for name in ("conflicted", "assessor", "assessor2", "assessor3"):
        page.select_option("#id_assessor", label=name)
        page.select_option("#id_stage", "material")
        page.click("#assign-form button[type=submit]")
        page.wait_for_load_state()
        if name == "conflicted":
            assert "Conflict of interest" in page.inner_text(".messages")
            screenshot(page, "awards_02_conflict_refused")
    assert app.assignments.count() == 3

    # Three assessors score; assessor3 differs by 30 pp on 4.4.1.
    for name, overrides in (("assessor", {}), ("assessor2", {}), ("assessor3", {"4.4.1": 80})):
        _as(page, base, name)
        page.goto(f"{base}/awards/applications/{app.pk}/")
        assert personas.org_a.name not in page.inner_text("h1")  # blind material review
        _score(page, base, app.pk, "material", 50, overrides)
    assert "1 item" in page.inner_text("#flag-summary")
    assert page.locator("tr.flagged[data-item='4.4.1']").count() == 1
    screenshot(page, "awards_03_consensus_flagged")
    page.select_option("select[name='percent_4.4.1']", "60")
    page.click("#consensus-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/awards/applications/{app.pk}/")
    _transition(page, "onsite_review")

    # On-site review by one assessor.
    _as(page, base, "officer")
    page.goto(f"{base}/awards/applications/{app.pk}/")
    page.select_option("#id_assessor", label="assessor2")
    page.select_option("#id_stage", "onsite")
    page.click("#assign-form button[type=submit]")
    page.wait_for_load_state()
    _as(page, base, "assessor2")
    _score(page, base, app.pk, "onsite", 55)
    page.click("#consensus-form button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#consensus-total") == "550.0"
    page.goto(f"{base}/awards/applications/{app.pk}/")
    _transition(page, "committee_decision")

    # Committee decides; public notice; staff confer the award after the objection window.
    _as(page, base, "committee")
    page.goto(f"{base}/awards/applications/{app.pk}/")
    page.select_option("#id_outcome", "award")
    page.fill("#decision input[name=reason]", "评审委员会表决通过")
    page.click("#decision button[type=submit]")
    page.wait_for_load_state()
    assert "Public notice" in page.inner_text("#status")
    page.goto(f"{base}/awards/notices/")
    assert personas.org_a.name in page.inner_text("main")
    screenshot(page, "awards_04_public_notice")
    _as(page, base, "officer")
    page.goto(f"{base}/awards/applications/{app.pk}/")
    page.fill("#feedback-form #id_strengths", "领导作用突出")
    page.fill("#feedback-form #id_opportunities", "结果指标对比不足")
    page.click("#feedback-form button[type=submit]")
    page.wait_for_load_state()
    _transition(page, "awarded")
    assert "Awarded" in page.inner_text("#status")
    screenshot(page, "awards_05_awarded")
    result = AwardResult.objects.get(application=app)
    assert Honour.objects.filter(award_result=result).exists()
    assert list(app.transitions.values_list("to_status", flat=True))[-1] == "awarded"

    # The enterprise downloads its feedback; the public sees the result and the honour.
    _as(page, base, "alice")
    page.goto(f"{base}/awards/applications/{app.pk}/")
    with page.expect_download() as download:
        page.click("#feedback-download")
    assert download.value.suggested_filename.endswith(".pdf")
    page.context.clear_cookies()
    page.goto(f"{base}/awards/")
    assert personas.org_a.name in page.inner_text("#results")
    page.goto(f"{base}/honours/")
    page.click("a[data-kind='mayor_award']")
    assert personas.org_a.name in page.inner_text("#holders")
    screenshot(page, "awards_06_honours_drilldown")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_blind_material_review_in_the_browser(browser_page, live_server, personas):
    """An assessor assigned to both stages sees no applicant anywhere during the material review;
    the officer sees the warning about the double assignment."""
    from zhizao.awards import services
    from zhizao.awards.choices import ReviewStage
    from zhizao.awards.tests.conftest import make_application, to_material

    page, base = browser_page, live_server.url
    programme = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )
    now = timezone.now()
    edition = AwardEdition.objects.create(
        programme=programme,
        number=7,
        year=now.year,
        opens_at=now - dt.timedelta(days=1),
        submission_deadline=now + dt.timedelta(days=5),
        award_quota=3,
        blind_material_review=True,
    )
    app = to_material(personas, make_application(personas.alice, edition))
    for stage in (ReviewStage.MATERIAL, ReviewStage.ONSITE):
        services.assign_assessor(personas.officer, app, personas.assessor, stage)

    _as(page, base, "assessor")
    for path, name in (
        ("/awards/applications/", "awards_blind_list"),
        (f"/awards/applications/{app.pk}/", "awards_blind_detail"),
        (f"/awards/applications/{app.pk}/score/material/", "awards_blind_scoring"),
    ):
        page.goto(f"{base}{path}")
        assert personas.org_a.name not in page.content(), path
        assert personas.org_a.name not in page.title(), path
        screenshot(page, name)
    _as(page, base, "officer")
    page.goto(f"{base}/awards/applications/{app.pk}/")
    assert page.locator("[data-warning='both-stages']").count() == 1
    screenshot(page, "awards_blind_officer_warning")
