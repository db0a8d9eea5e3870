"""Done-when (issue 18): a department user submits a data set with a value that breaks a rule,
explains it; the bureau returns it; the user corrects and resubmits; the bureau approves and the
period locks; the figure then appears in ``zhizao figures`` and on the plan page against its
target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhizao.core.actors import system_actor
from zhizao.core.testing import browser_login, screenshot
from zhizao.plans import services
from zhizao.plans.choices import SubmissionStatus
from zhizao.plans.models import Submission
from zhizao.plans.tests import factories


def _as(page, base, name):
    page.context.clear_cookies()
    browser_login(page, base, name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submission_through_return_approval_and_lock(
    browser_page, live_server, personas, tmp_path, capsys
):
    page, base = browser_page, live_server.url
    data_set = factories.education_data_set(personas.department)
    factories.approved(data_set, "2020", (8000, ""), (90, ""))
    plan, _task = factories.plan_with_task(
        personas.city, personas.department, deadline=date(2025, 12, 31)
    )
    services.add_target(
        system_actor(),
        plan,
        {
            "indicator_code": "dept.education.new_school_places",
            "baseline_value": Decimal(8000),
            "baseline_year": 2020,
            "target_value": Decimal(15000),
            "target_year": 2021,
        },
    )
    places, classes = data_set.elements.order_by("order")
    evidence = tmp_path / "学位台账.pdf"
    evidence.write_bytes(factories.PDF)

    # The department user lands on the submissions and enters 2021: +87.5% needs an explanation.
    _as(page, base, "clerk")
    assert page.url.endswith("/plans/submissions/")
    page.goto(f"{base}/plans/data-sets/{data_set.pk}/2021/?lang=en")
    page.fill(f"#id_value_{places.pk}", "15000")
    page.fill(f"#id_value_{classes.pk}", "0")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("#submit-button")
    page.wait_for_load_state()
    error = page.locator(".field-errors", has_text="explain the change")
    assert error.count() == 1
    screenshot(page, "plans-entry-rule-broken")
    page.fill(f"#id_explanation_{places.pk}", "城区学位扩容和乡镇优质学校“双线建设”")
    page.click("#submit-button")
    page.wait_for_url("**/plans/submissions/*/")
    submission = Submission.objects.get(data_set=data_set, period="2021")
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.evidence.count() == 1

    # The bureau returns it with a reason.
    _as(page, base, "officer")
    page.goto(f"{base}/plans/submissions/{submission.pk}/")
    page.fill("#id_reason", "学位数应与教育事业统计台账一致")
    page.click("#return")
    page.wait_for_load_state()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED

    # The department corrects and resubmits.
    _as(page, base, "clerk")
    page.goto(f"{base}/plans/submissions/{submission.pk}/")
    page.click("#correct")
    page.wait_for_url(f"**/data-sets/{data_set.pk}/2021/")
    assert "教育事业统计台账" in page.locator("#return-reason").inner_text()
    page.fill(f"#id_value_{places.pk}", "15100")
    page.click("#submit-button")
    page.wait_for_url("**/plans/submissions/*/")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    # The bureau approves: the period locks.
    _as(page, base, "officer")
    page.goto(f"{base}/plans/submissions/{submission.pk}/")
    page.click("#approve")
    page.wait_for_load_state()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    assert page.locator("#unlock").count() == 1
    screenshot(page, "plans-submission-approved")
    _as(page, base, "clerk")
    page.goto(f"{base}/plans/data-sets/{data_set.pk}/2021/")
    page.wait_for_url(f"**/plans/submissions/{submission.pk}/")  # locked: no entry form
    assert page.locator("#correct").count() == 0

    # The figure is published and stands against its target on the plan page.
    call_command("figures", "--city", personas.city.code, "--year", "2021", "--code", "dept.")
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if "dept.education.new_school_places" in row)
    assert "15100" in line
    page.goto(f"{base}/plans/{plan.pk}/?year=2021")
    row = page.locator("#targets tr[data-code='dept.education.new_school_places']")
    assert "15100" in row.locator(".current").inner_text()
    assert row.locator(".standing").inner_text().strip() in {"on track", "进度正常"}
    screenshot(page, "plans-plan-page")
