"""Plans: targets against the registry, progress by the lead department, overdue and off-track
flags told once, the plan page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhizao.core.actors import system_actor
from zhizao.core.models import Notification
from zhizao.plans import services
from zhizao.plans.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_and_task(personas):
    return factories.plan_with_task(personas.city, personas.department, deadline=date(2021, 6, 30))


def _target(plan, **extra):
    data = {
        "indicator_code": "dept.education.new_school_places",
        "baseline_value": Decimal(8000),
        "baseline_year": 2020,
        "target_value": Decimal(16000),
        "target_year": 2024,
    }
    data.update(extra)
    return services.add_target(system_actor(), plan, data)


def test_a_target_needs_a_registered_indicator(plan_and_task):
    plan, _task = plan_and_task
    with pytest.raises(ValidationError, match="No indicator with this code"):
        _target(plan, indicator_code="dept.no_such_figure")


def test_target_standing_reads_the_registry_and_the_trajectory(personas, plan_and_task):
    plan, _task = plan_and_task
    target = _target(plan)
    data_set = factories.education_data_set(personas.department)
    standing = services.target_standing(target, 2021)
    assert standing.value is None
    assert standing.on_track is None
    factories.approved(data_set, "2021", (9000, ""), (0, ""))
    standing = services.target_standing(target, 2021)
    assert standing.expected == 10000  # a quarter of the way from 8000 to 16000
    assert (standing.value, standing.on_track) == (9000, False)
    page = personas.client("anonymous").get(reverse("plans:plan", args=[plan.pk]) + "?year=2021")
    html = page.content.decode()
    assert "9000" in html
    assert "off track" in html
    assert standing.url.replace("&", "&amp;") in html


def test_only_the_lead_department_reports_progress(personas, plan_and_task):
    _plan, task = plan_and_task
    for name in ("officer", "bob", "tester"):
        with pytest.raises(PermissionDenied):
            services.report_progress(getattr(personas, name), task, "2021", "进展")
    with pytest.raises(ValidationError) as raised:
        services.report_progress(personas.clerk, task, "2021-3", " ")
    assert set(raised.value.message_dict) == {"text", "period"}
    report = services.report_progress(personas.clerk, task, "2021Q2", "已完成", status="done")
    task.refresh_from_db()
    assert task.status == "done"
    assert report.history.latest().history_user == personas.clerk


def test_overdue_tasks_and_off_track_targets_are_flagged_once(
    personas, plan_and_task, django_capture_on_commit_callbacks
):
    plan, _task = plan_and_task
    _target(plan)
    factories.approved(
        factories.education_data_set(personas.department), "2021", (9000, ""), (0, "")
    )
    with pytest.raises(PermissionDenied):
        services.flag_overdue(personas.officer, today=date(2022, 1, 10))
    with django_capture_on_commit_callbacks():
        flagged = services.flag_overdue(system_actor(), today=date(2022, 1, 10))
    assert (flagged.tasks, flagged.targets) == (1, 1)
    subjects = set(
        Notification.objects.filter(recipient=personas.officer).values_list("subject", flat=True)
    )
    assert any("测试任务" in subject for subject in subjects)
    assert not Notification.objects.filter(recipient=personas.district_officer).exists()
    again = services.flag_overdue(system_actor(), today=date(2022, 1, 11))
    assert (again.tasks, again.targets) == (0, 0)


def test_a_done_task_is_not_overdue(personas, plan_and_task):
    _plan, task = plan_and_task
    services.report_progress(personas.clerk, task, "2021", "完成", status="done")
    assert services.flag_overdue(system_actor(), today=date(2022, 1, 10)).tasks == 0


def test_flag_command_flags_and_refuses_a_bad_day(personas, plan_and_task):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("plans_flag_overdue", "--today", "2022-01-10", stdout=out)
    assert "flagged 1 overdue tasks" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("plans_flag_overdue", "--today", "10/01/2022")


def test_plan_page_shows_each_tasks_latest_progress(personas, plan_and_task):
    plan, task = plan_and_task
    services.report_progress(personas.clerk, task, "2021Q1", "启动对标")
    services.report_progress(personas.clerk, task, "2021Q2", "完成对标报告")
    html = personas.client("anonymous").get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "2021Q2: 完成对标报告" in html
    assert "启动对标" not in html
