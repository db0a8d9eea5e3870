"""Filters of the project list (``engineering.forms`` validates their input)."""

from __future__ import annotations

from typing import Any

from zhizao.engineering.models import ProjectQuerySet


def filter_projects(queryset: ProjectQuerySet, data: dict[str, Any]) -> ProjectQuerySet:
    if data.get("q"):
        queryset = queryset.filter(name__icontains=data["q"].strip())
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    return queryset
