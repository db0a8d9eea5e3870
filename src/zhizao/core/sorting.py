"""Orders that people expect: 第4农贸市场 before 第12农贸市场, districts in GB/T 2260 order."""

from __future__ import annotations

import re

from .models import Region

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that compares runs of digits as numbers ("第4" < "第12")."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text) if part
    )


def region_key(region: Region) -> tuple[int, str, str]:
    """Districts and counties by their GB/T 2260 code; parks and zones (no code) after them."""
    return (0 if region.code else 1, region.code or "", region.path)
