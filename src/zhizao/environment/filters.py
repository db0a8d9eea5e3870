"""Filters of environmental quality's lists (the completeness page, the API's station, section
and hour lists); ``environment.forms`` validates the pages' input."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhizao.core.models import Region
from zhizao.environment.models import AirHour, Station, WaterSection


def _in_district(queryset: QuerySet[Any], value: Any, path: str) -> QuerySet[Any]:
    """Records whose region (at ``path``) is the district or below it; ``value`` a region or
    its GB/T 2260 code (an unknown code matches nothing; empty: no filter)."""
    if value is None or value == "":
        return queryset
    region = (
        value
        if isinstance(value, Region)
        else Region.objects.filter(code=str(value).strip()).first()
    )
    if region is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__path__startswith": region.path})


def filter_stations(queryset: QuerySet[Station], data: dict[str, Any]) -> QuerySet[Station]:
    """``district`` (a region or its code: the region and below), ``station`` (one station),
    ``q`` (code or name contains)."""
    queryset = _in_district(queryset, data.get("district"), "region")
    if data.get("station") is not None:
        queryset = queryset.filter(pk=data["station"].pk)
    if data.get("q"):
        text = str(data["q"]).strip()
        queryset = queryset.filter(Q(code__icontains=text) | Q(name__icontains=text))
    return queryset


def filter_sections(
    queryset: QuerySet[WaterSection], data: dict[str, Any]
) -> QuerySet[WaterSection]:
    """``district`` (region and below) and ``q`` (code, name or water body contains)."""
    queryset = _in_district(queryset, data.get("district"), "region")
    if data.get("q"):
        text = str(data["q"]).strip()
        queryset = queryset.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(water_body__icontains=text)
        )
    return queryset


def filter_hours(queryset: QuerySet[AirHour], data: dict[str, Any]) -> QuerySet[AirHour]:
    """``station``, ``district`` (the station's), ``month`` (1–12), ``start`` / ``end`` days
    (inclusive)."""
    if data.get("station") is not None:
        queryset = queryset.filter(station=data["station"])
    queryset = _in_district(queryset, data.get("district"), "station__region")
    if data.get("month"):
        queryset = queryset.filter(day__month=int(data["month"]))
    if data.get("start") is not None:
        queryset = queryset.filter(day__gte=data["start"])
    if data.get("end") is not None:
        queryset = queryset.filter(day__lte=data["end"])
    return queryset
