"""Pages of the annual quality report: the list of reports (published ones for everyone, every
snapshot of their regions for bureau staff), a report on a snapshot (figures, narrative,
ECharts charts, what changed since publication) and its download as HTML, PDF or DOCX, the
published report of a region and year, publishing a snapshot, and the narrative editor."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhizao.core import figures
from zhizao.core.actors import request_actor
from zhizao.core.models import Region
from zhizao.reports import permissions, rendering, sections, services
from zhizao.reports.annual import section_template
from zhizao.reports.choices import ReportFormat, ReportLanguage, SnapshotState
from zhizao.reports.default_texts import default_text
from zhizao.reports.filters import filter_snapshots
from zhizao.reports.forms import SectionTextForm, SnapshotFilterForm
from zhizao.reports.models import SectionText, Snapshot

LIST_LIMIT = 100
DEFAULT_CITY = "430200"


def _visible(request: HttpRequest, pk: int) -> Snapshot:
    snapshot = get_object_or_404(Snapshot.objects.select_related("region"), pk=pk)
    if not permissions.can_read(request.user, snapshot):
        raise PermissionDenied
    if snapshot.state != SnapshotState.DONE:
        raise Http404(_("This snapshot is still being computed."))
    return snapshot


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or translation.get_language() or ReportLanguage.ZH_HANS
    return ReportLanguage.EN if asked.startswith("en") else ReportLanguage.ZH_HANS


def _managed_city(request: HttpRequest) -> Region:
    city = figures.find_region(request.GET.get("city", DEFAULT_CITY))
    if city is None:
        raise Http404(_("Unknown city."))
    if not permissions.can_manage(request.user, city):
        raise PermissionDenied
    return city


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = SnapshotFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    snapshots = filter_snapshots(Snapshot.objects.visible_to(request.user), data)
    rows = list(
        snapshots.filter(state=SnapshotState.DONE)
        .select_related("region")
        .prefetch_related("publications")[:LIST_LIMIT]
    )
    return render(request, "reports/index.html", {"form": form, "snapshots": rows})


@require_GET
def published(request: HttpRequest) -> HttpResponse:
    """The published report of ``?city=&year=`` (the public's stable address); bureau staff of
    the region get the draft when nothing is published yet."""
    city = figures.find_region(request.GET.get("city", DEFAULT_CITY))
    year = request.GET.get("year", "")
    if city is None or not year.isdigit():
        raise Http404(_("Unknown city or year."))
    snapshot = services.published_snapshot(city, int(year))
    if snapshot is None and permissions.can_manage(request.user, city):
        # Staff read the draft: the latest snapshot, or one taken now.
        snapshot = services.report_snapshot(request_actor(request), city, int(year))
    if snapshot is None:
        raise Http404(_("No report of this region and year is published."))
    return redirect("reports:detail", pk=snapshot.pk)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _visible(request, pk)
    report = services.build_report(snapshot, _language(request))
    current = services.published_snapshot(snapshot.region, snapshot.year)
    manager = permissions.can_manage(request.user, snapshot.region)
    changed = []
    latest = None
    if manager and current is not None:
        latest = (
            Snapshot.objects.filter(
                region=snapshot.region, year=snapshot.year, state=SnapshotState.DONE
            )
            .order_by("-computed_at", "-pk")
            .first()
        )
        if latest is not None and latest.pk != current.pk:
            changed = services.changes(current, latest)
    charts = [
        {
            "key": chart.key,
            "title": chart.title,
            "categories": chart.categories,
            "series": [{"name": n, "data": d, "type": k} for n, d, k in chart.series],
        }
        for chart in report.charts
    ]
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "snapshot": snapshot,
            "charts": charts,
            "is_published": current is not None and current.pk == snapshot.pk,
            "published_snapshot": current,
            "latest": latest,
            "changed": changed,
            "manager": manager,
            "formats": ReportFormat.values,
        },
    )


@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ReportFormat.values:
        raise Http404(_("Unknown format."))
    snapshot = _visible(request, pk)
    report = services.build_report(snapshot, _language(request))
    response = HttpResponse(
        rendering.render(report, fmt), content_type=rendering.CONTENT_TYPES[ReportFormat(fmt)]
    )
    response["Content-Disposition"] = f'attachment; filename="{rendering.file_name(report, fmt)}"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(Snapshot, pk=pk)
    if not permissions.can_manage(request.user, snapshot.region):
        raise PermissionDenied
    try:
        services.publish(request_actor(request), snapshot, request.POST.get("note", ""))
    except ValidationError as error:
        return HttpResponse("; ".join(error.messages), status=400)
    return redirect("reports:detail", pk=snapshot.pk)


@login_required
@require_GET
def texts(request: HttpRequest) -> HttpResponse:
    city = _managed_city(request)
    stored = {
        (text.section, text.language): text
        for text in SectionText.objects.filter(region=city).select_related("updated_by")
    }
    rows = [
        {
            "section": section,
            "languages": [
                {
                    "code": language,
                    "text": section_template(city, section.key, language),
                    "stored": stored.get((section.key, language)),
                }
                for language in ReportLanguage.values
            ],
        }
        for section in sections.SECTIONS
    ]
    return render(request, "reports/texts.html", {"city": city, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def text_edit(request: HttpRequest, section: str, language: str) -> HttpResponse:
    city = _managed_city(request)
    part = sections.get(section)
    if part is None or language not in ReportLanguage.values:
        raise Http404(_("Unknown section or language."))
    form = SectionTextForm(
        request.POST or None,
        initial={"template": section_template(city, section, language)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("reset"):
                services.reset_section_text(request_actor(request), city, section, language)
            else:
                services.save_section_text(
                    request_actor(request), city, section, language, form.cleaned_data["template"]
                )
        except ValidationError as error:
            form.add_error("template", error)
        else:
            return redirect(f"{reverse('reports:texts')}?city={city.code or city.pk}")
    return render(
        request,
        "reports/text_edit.html",
        {
            "city": city,
            "section": part,
            "language": language,
            "form": form,
            "default": default_text(section, language),
            "codes": sections.codes_of(part),
        },
        status=400 if form.errors else 200,
    )
