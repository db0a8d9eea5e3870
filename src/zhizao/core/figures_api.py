"""Figures API, ``/api/v1/figures``: every registered figure of a city and year, the same
objects ``zhizao figures --json`` prints. Anonymous readers get published indicators only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from zhizao.core import figures, frontpage, permissions
from zhizao.core.api_auth import public_auth

router = Router(tags=["figures"])


class FigureOut(Schema):
    value: float | int | None = Field(description="in the unit; None with a reason")
    unit: str
    records: int = Field(description="how many records the figure was computed from")
    reason: str | None = Field(description="why the value is None")
    synthetic: bool = Field(description="computed from generated demo records")
    computed_at: str
    url: str = Field(description="the drill-down page listing exactly those records")


@router.get("", response=dict[str, FigureOut], auth=public_auth)
def figures_of_city(
    request: HttpRequest, city: str = "", year: int | None = None, code: str = ""
) -> dict[str, dict[str, object]]:
    """Figures of ``city`` (GB/T 2260 code or name; the demo city by default) for ``year`` (the
    front page's latest year by default), those whose code starts with ``code``."""
    region = figures.find_region(city or settings.ZHIZAO_CITY_CODE)
    if region is None:
        raise HttpError(404, _("Unknown city %(city)s.") % {"city": city})
    check_year(year)
    found = figures.compute_all(
        region,
        year if year is not None else frontpage.front_page_year(region),
        code,
        published_only=not permissions.is_staff_user(request.user),
    )
    return {key: figure.as_json() for key, figure in found.items()}


def check_year(year: int | None) -> None:
    """A year parameter of an API operation: 422 outside 1901–2999 (the dates' range)."""
    if year is not None and not 1900 < year < 3000:
        raise HttpError(422, _("The year must be between 1901 and 2999."))
