"""Done-when: in the browser, the officer records a failed batch, sends the notice, the
producer asks for a re-test, the officer records the conforming re-test and closes the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhizao.core.testing import browser_login, screenshot
from zhizao.sampling import services
from zhizao.sampling.choices import AuthorityLevel, CaseStatus, Domain, Verdict
from zhizao.sampling.models import NonConformityCase, SampledBatch


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failed_batch_notice_retest_and_closure(browser_page, live_server, personas):
    lab = services.create_lab(personas.officer, personas.provider_org)
    plan = services.create_plan(
        personas.officer,
        categories={"儿童玩具": 10},
        year=timezone.localdate().year,
        domain=Domain.CONSUMER_GOODS,
        title="消费品抽检计划",
        authority="株洲市市场监督管理局",
        level=AuthorityLevel.CITY,
        region=personas.city,
        lab=lab,
    )
    page, base = browser_page, live_server.url
    browser_login(page, base, "officer")
    page.goto(f"{base}/sampling/batches/new/")
    page.select_option("#id_plan", str(plan.pk))
    page.fill("#id_category", "儿童玩具")
    page.fill("#id_producer_credit_code", personas.org_a.credit_code)
    page.fill("#id_product", "益智积木")
    page.fill("#id_sampled_on", (timezone.localdate() - dt.timedelta(days=2)).isoformat())
    page.fill("#id_report_number", "ZZ-B-0001")
    page.fill("#id_standards", "GB 6675.4-2014")
    page.fill("#id_item_0_name", "可迁移元素铅")
    page.fill("#id_item_0_value", "120")
    page.fill("#id_item_0_limit", "≤90")
    page.fill("#id_item_0_unit", "mg/kg")
    page.fill("#id_item_1_name", "标签")
    page.select_option("#id_item_1_verdict", "pass")
    page.click("#batch-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert "not conform" in page.inner_text("#verdict")
    screenshot(page, "sampling-failed-batch")
    batch = SampledBatch.objects.get()
    assert batch.verdict == Verdict.FAIL
    page.click("#case-link")
    page.click("#send-notice")
    page.wait_for_selector(".message.success")
    assert NonConformityCase.objects.get().status == CaseStatus.NOTIFIED
    case_url = page.url

    page.context.clear_cookies()
    browser_login(page, base, "alice")
    page.goto(case_url)
    page.fill("textarea[name=note]", "对检验结果有异议")
    page.click("#request-retest")
    page.wait_for_selector(".message.success")
    assert NonConformityCase.objects.get().status == CaseStatus.RETEST_REQUESTED

    page.context.clear_cookies()
    browser_login(page, base, "officer")
    page.goto(case_url)
    page.select_option("#retest-form select[name=conforms]", "yes")
    page.fill("#retest-form input[name=lab]", "湖南省产商品质量检验研究院")
    page.fill("#retest-form input[name=report_number]", "FJ-0001")
    page.click("#retest-form button[type=submit]")
    page.wait_for_selector("#close-case")
    page.fill("textarea[name=note]", "复检合格，结案")
    page.click("#close-case")
    page.wait_for_selector(".message.success")
    assert "Closed" in page.inner_text("#case-status")
    screenshot(page, "sampling-case-closed")
    case = NonConformityCase.objects.get()
    assert case.status == CaseStatus.CLOSED
    assert case.retest_conforms
    assert SampledBatch.objects.get().overturned_on_retest
