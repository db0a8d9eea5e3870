"""Plans API: the plans (public) and the submissions a user may see."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.core.api_auth import api_auth, public_auth
from zhizao.core.pagination import BoundedPagination
from zhizao.plans.models import Plan, Submission

router = Router(tags=["plans"], auth=api_auth)


class PlanOut(Schema):
    id: int
    title: str
    kind: str
    level: str
    issuing_body: str
    document_number: str
    start_year: int
    end_year: int
    is_synthetic: bool


class SubmissionOut(Schema):
    id: int
    data_set: str
    department: str
    period: str
    status: str
    is_synthetic: bool

    @staticmethod
    def resolve_data_set(obj: Submission) -> str:
        return obj.data_set.name

    @staticmethod
    def resolve_department(obj: Submission) -> str:
        return obj.data_set.department.name


@router.get("/plans", response=list[PlanOut], auth=public_auth)
@paginate(BoundedPagination)
def plans(request: HttpRequest) -> list[Plan]:
    return Plan.objects.order_by("-start_year", "title", "pk")  # type: ignore[return-value]


@router.get("/submissions", response=list[SubmissionOut])
@paginate(BoundedPagination)
def submissions(request: HttpRequest, status: str = "") -> list[Submission]:
    rows = Submission.objects.visible_to(request.user).select_related("data_set__department")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-period", "pk")  # type: ignore[return-value]
