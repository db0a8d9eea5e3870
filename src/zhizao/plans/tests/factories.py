"""Records the plans tests make: departments, data sets with rules, submissions, plans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from zhizao.core.actors import acting_as, system_actor
from zhizao.core.choices import OrganizationKind
from zhizao.core.models import Organization, Region
from zhizao.core.testing import make_organization
from zhizao.plans import services
from zhizao.plans.choices import PeriodType, PlanKind, PlanLevel, SubmissionStatus
from zhizao.plans.models import DataElement, DataSet, Plan, Submission, Task

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def pdf(name: str = "evidence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def department(name: str, region: Region) -> Organization:
    return make_organization(name, region, OrganizationKind.GOVERNMENT)


def education_data_set(owner: Organization, *, suffix: str = "") -> DataSet:
    """A yearly data set: new school places (0–100000, change above 50% explained) and
    over-size classes (at least 0, at most the new places: a comparison rule)."""
    with acting_as(system_actor()):
        data_set = DataSet.objects.create(
            name=f"教育年报{suffix}",
            department=owner,
            period_type=PeriodType.YEARLY,
            due_days=30,
            first_period="2020",
        )
        places = DataElement.objects.create(
            data_set=data_set,
            figure_code="dept.education.new_school_places"
            if not suffix
            else "dept.housing.lift_retrofits",
            order=0,
            min_value=Decimal(0),
            max_value=Decimal(100000),
            change_threshold=Decimal(50),
        )
        DataElement.objects.create(
            data_set=data_set,
            figure_code="dept.education.oversize_classes"
            if not suffix
            else "dept.water.repair_timeliness",
            order=1,
            min_value=Decimal(0),
            comparison="lte",
            compared_with=places,
        )
    return data_set


def entries(
    data_set: DataSet, *values: tuple[str | int | None, str]
) -> dict[int, tuple[Decimal | None, str]]:
    elements = list(data_set.elements.order_by("order"))
    return {
        element.pk: (None if value is None else Decimal(str(value)), explanation)
        for element, (value, explanation) in zip(elements, values, strict=True)
    }


def approved(data_set: DataSet, period: str, *values: tuple[str | int | None, str]) -> Submission:
    system = system_actor()
    submission = services.open_submission(system, data_set, period)
    services.enter_values(system, submission, entries(data_set, *values))
    services.add_evidence(system, submission, pdf())
    services.submit_submission(system, submission)
    services.approve_submission(system, submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    return submission


def plan_with_task(city: Region, lead: Organization, *, deadline: date) -> tuple[Plan, Task]:
    system = system_actor()
    plan = services.create_plan(
        system,
        {
            "title": "测试质量发展规划",
            "kind": PlanKind.PLAN,
            "level": PlanLevel.CITY,
            "issuing_body": "测试市人民政府",
            "city": city,
            "start_year": 2021,
            "end_year": 2025,
        },
    )
    action = services.add_action(system, plan, {"title": "测试行动"})
    task = services.add_task(
        system, action, {"title": "测试任务", "lead_department": lead, "deadline": deadline}
    )
    return plan, task
