"""Filters of the registry's lists (``registry.forms`` validates their input)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhizao.registry.models import Honour


def filter_honours(queryset: QuerySet[Honour], data: dict[str, Any]) -> QuerySet[Honour]:
    """By holder name (contains), holder type, year and the district of the holder's
    organization (an honour with no organization has no district and drops out)."""
    if data.get("q"):
        queryset = queryset.filter(holder_name__icontains=data["q"].strip())
    if data.get("holder_kind"):
        queryset = queryset.filter(holder_kind=data["holder_kind"])
    if data.get("year") is not None:
        queryset = queryset.filter(year=data["year"])
    if data.get("district") is not None:
        queryset = queryset.filter(organization__region__path__startswith=data["district"].path)
    return queryset
