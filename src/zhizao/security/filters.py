"""Filters of the security log's page and export (``security.forms.EventFilterForm``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhizao.security.models import SecurityEvent


def filter_events(
    queryset: QuerySet[SecurityEvent], data: dict[str, Any]
) -> QuerySet[SecurityEvent]:
    """By event type, result, subject (contains) and the day range (the city's time zone)."""
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("result"):
        queryset = queryset.filter(result=data["result"])
    if data.get("subject"):
        queryset = queryset.filter(subject__icontains=data["subject"].strip())
    zone = timezone.get_current_timezone()
    if data.get("since"):
        queryset = queryset.filter(at__gte=datetime.combine(data["since"], time.min, zone))
    if data.get("until"):
        end = datetime.combine(data["until"] + timedelta(days=1), time.min, zone)
        queryset = queryset.filter(at__lt=end)
    return queryset
