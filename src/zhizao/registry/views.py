"""Public honours pages: counts by kind with drill-down, and each organization's profile with
its award ladder (Mayor's → Governor's → China Quality Award, from the award honours that the
awards app pushed into the registry)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from zhizao.core.filters import active_filters
from zhizao.core.models import Organization, Region
from zhizao.registry import services
from zhizao.registry.choices import HonourKind
from zhizao.registry.filters import filter_honours
from zhizao.registry.forms import HonourFilterForm
from zhizao.registry.models import Honour


def _city() -> Region:
    city = Region.objects.city()
    if city is None:
        raise Http404
    return city


@require_GET
def honours(request: HttpRequest) -> HttpResponse:
    city = _city()
    return render(
        request, "registry/honours.html", {"city": city, "counts": services.counts_by_kind(city)}
    )


@require_GET
def honour_kind(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in HonourKind.values:
        raise Http404
    city = _city()
    form = HonourFilterForm(request.GET)
    holders: QuerySet[Honour] = (
        Honour.objects.standing()
        .filter(city=city, kind=kind)
        .select_related("organization")
        .order_by("-year", "holder_name")
    )
    if form.is_valid():
        holders = filter_honours(holders, form.cleaned_data)
    context = {
        "city": city,
        "kind": HonourKind(kind),
        "holders": holders,
        "form": form,
        "chips": active_filters(form, request.GET),
    }
    if request.headers.get("HX-Request"):
        return render(request, "registry/_partials/holder_table.html", context)
    return render(request, "registry/honour_kind.html", context)


@require_GET
def organization_profile(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.select_related("region"), pk=pk)
    return render(
        request,
        "registry/organization.html",
        {
            "organization": organization,
            "ladder": services.award_ladder(organization),
            "honours": services.organization_honours(organization),
        },
    )
