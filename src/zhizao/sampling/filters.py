"""Filters of the sampling lists (``sampling.forms`` validates their input)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhizao.sampling.models import NonConformityCase, SampledBatch


def filter_batches(
    queryset: QuerySet[SampledBatch], data: dict[str, Any]
) -> QuerySet[SampledBatch]:
    if data.get("q"):
        text = data["q"].strip()
        queryset = queryset.filter(Q(product__icontains=text) | Q(report_number__icontains=text))
    if data.get("domain"):
        queryset = queryset.filter(plan__domain=data["domain"])
    if data.get("verdict"):
        queryset = queryset.filter(verdict=data["verdict"])
    if data.get("year") is not None:
        queryset = queryset.filter(sampled_on__year=data["year"])
    if data.get("district") is not None:
        queryset = queryset.filter(region__path__startswith=data["district"].path)
    return queryset


def filter_cases(
    queryset: QuerySet[NonConformityCase], data: dict[str, Any]
) -> QuerySet[NonConformityCase]:
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("overdue"):
        queryset = queryset.overdue(timezone.localdate())  # type: ignore[attr-defined]
    return queryset
