"""Filters of the incident list (``incidents.forms`` validates their input)."""

from __future__ import annotations

from typing import Any

from zhizao.incidents.models import IncidentQuerySet


def filter_incidents(queryset: IncidentQuerySet, data: dict[str, Any]) -> IncidentQuerySet:
    if data.get("domain"):
        queryset = queryset.filter(domain=data["domain"])
    if data.get("year") is not None:
        queryset = queryset.filter(occurred_on__year=data["year"])
    if data.get("major"):
        queryset = queryset.major()
    return queryset
