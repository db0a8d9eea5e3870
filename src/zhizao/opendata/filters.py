"""The query parameters of the dashboard and the open data: which region (a GB/T 2260 code,
the platform's city by default) and which year."""

from __future__ import annotations

from zhizao.core import figures
from zhizao.core.models import Region


def region_of(code: str) -> Region | None:
    """The region of a GB/T 2260 code or name (the platform's city when ``code`` is empty);
    ``None`` when no such region is loaded."""
    return figures.find_region(code) if code else Region.objects.city()


def valid_year(year: int | None) -> bool:
    return year is None or 1900 < year < 3000
