"""The public dashboard, ``/dashboard/`` (the city) and ``/dashboard/<code>/`` (a district):
published snapshots only, read in a fixed number of queries (``dashboard.build``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhizao.core.choices import RegionLevel
from zhizao.core.models import Region
from zhizao.opendata import dashboard as board
from zhizao.opendata import filters
from zhizao.opendata.forms import YearForm
from zhizao.reports.models import Publication


@require_GET
def dashboard(request: HttpRequest, code: str = "") -> HttpResponse:
    region = filters.region_of(code)
    if region is None or (code and region.code != code):
        raise Http404(_("Unknown region."))
    city = region if region.level != RegionLevel.DISTRICT else region.parent
    raw = request.GET.get("year", "")
    if raw and not raw.isdigit():
        raise Http404(_("Nothing was published for that year."))
    try:
        shown = board.build(region, int(raw) if raw else None)
    except ValueError:
        raise Http404(_("Nothing was published for that year.")) from None
    form = YearForm(initial={"year": shown.year}, years=shown.years)
    districts = (
        list(Region.objects.filter(parent=city).exclude(code="").order_by("code")) if city else []
    )
    published = set(
        Publication.objects.filter(region__in=districts).values_list("region_id", flat=True)
    )
    return render(
        request,
        "opendata/dashboard.html",
        {
            "board": shown,
            "region": region,
            "city": city,
            "form": form,
            "districts": [(district, district.pk in published) for district in districts],
        },
    )
