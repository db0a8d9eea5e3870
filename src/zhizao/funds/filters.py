"""Filters of the fund lists (``funds.forms.ApplicationFilterForm`` validates their input)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhizao.funds.models import FundApplication


def filter_applications(
    queryset: QuerySet[FundApplication], data: dict[str, Any]
) -> QuerySet[FundApplication]:
    if data.get("q"):
        text = data["q"].strip()
        queryset = queryset.filter(
            Q(organization__name__icontains=text)
            | Q(organization__name_en__icontains=text)
            | Q(project__icontains=text)
        )
    if data.get("programme") is not None:
        queryset = queryset.filter(programme=data["programme"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("year") is not None:
        queryset = queryset.filter(programme__year=data["year"])
    if data.get("district") is not None:
        queryset = queryset.filter(organization__region__path__startswith=data["district"].path)
    return queryset
