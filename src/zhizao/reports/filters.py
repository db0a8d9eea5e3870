"""Filters of the snapshot list (``reports.forms.SnapshotFilterForm`` validates their input)."""

from __future__ import annotations

from typing import Any

from zhizao.core import figures
from zhizao.reports.models import SnapshotQuerySet


def filter_snapshots(queryset: SnapshotQuerySet, data: dict[str, Any]) -> SnapshotQuerySet:
    if data.get("city"):
        region = figures.find_region(data["city"])
        queryset = queryset.filter(region=region) if region else queryset.none()
    if data.get("year") is not None:
        queryset = queryset.filter(year=data["year"])
    return queryset
