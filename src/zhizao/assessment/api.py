"""Assessment API (bureau staff): the assessments of the caller's regions and, per
assessment, its items with points, self-scores, figures and documents."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.assessment import evidence
from zhizao.assessment.models import Assessment
from zhizao.core.api_auth import api_auth
from zhizao.core.pagination import BoundedPagination

router = Router(tags=["assessment"], auth=api_auth)


class AssessmentOut(Schema):
    id: int
    year: int
    region: str
    region_code: str
    template: str
    is_demo: bool
    snapshot_id: int

    @staticmethod
    def resolve_year(obj: Assessment) -> int:
        return obj.template.year

    @staticmethod
    def resolve_region(obj: Assessment) -> str:
        return obj.region.name

    @staticmethod
    def resolve_region_code(obj: Assessment) -> str:
        return obj.region.code

    @staticmethod
    def resolve_template(obj: Assessment) -> str:
        return obj.template.name

    @staticmethod
    def resolve_is_demo(obj: Assessment) -> bool:
        return obj.template.is_demo


class FigureOut(Schema):
    code: str
    value: Decimal | int | None
    unit: str
    records: int
    rule: str
    threshold: Decimal | None
    met: bool | None


class ItemOut(Schema):
    number: str
    title_zh: str
    title_en: str
    points: Decimal
    self_score: Decimal | None
    suggested: Decimal | None
    comment: str
    figures: list[FigureOut]
    documents: list[str]


@router.get("/assessments", response=list[AssessmentOut])
@paginate(BoundedPagination)
def assessments(request: HttpRequest, year: int | None = None) -> QuerySet[Assessment]:
    rows = Assessment.objects.visible_to(request.auth).select_related(  # type: ignore[attr-defined]
        "region", "template"
    )
    if year is not None:
        rows = rows.filter(template__year=year)
    return rows.order_by("-template__year", "region__path", "pk")


@router.get("/assessments/{assessment_id}/items", response=list[ItemOut])
def assessment_items(request: HttpRequest, assessment_id: int) -> list[dict[str, object]]:
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.auth).select_related(  # type: ignore[attr-defined]
            "region", "template", "snapshot"
        ),
        pk=assessment_id,
    )
    return [
        {
            "number": row.item.number,
            "title_zh": row.item.title_zh,
            "title_en": row.item.title_en,
            "points": row.item.points,
            "self_score": row.self_score,
            "suggested": row.suggested,
            "comment": row.comment,
            "figures": [
                {
                    "code": figure.code,
                    "value": figure.figure.typed_value if figure.figure else None,
                    "unit": figure.figure.unit if figure.figure else "",
                    "records": figure.records,
                    "rule": figure.mapping.rule,
                    "threshold": figure.mapping.threshold,
                    "met": figure.met,
                }
                for figure in row.figures
            ],
            "documents": [document.original_name for document in row.documents],
        }
        for row in evidence.item_evidence(assessment)
    ]
