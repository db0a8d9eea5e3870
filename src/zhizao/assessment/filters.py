"""Filters of the assessment list (``assessment.forms`` validates their input)."""

from __future__ import annotations

from typing import Any

from zhizao.assessment.models import AssessmentQuerySet


def filter_assessments(queryset: AssessmentQuerySet, data: dict[str, Any]) -> AssessmentQuerySet:
    if data.get("year") is not None:
        queryset = queryset.filter(template__year=data["year"])
    return queryset
