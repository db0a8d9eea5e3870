"""Core pages: the public front page, the console, organizations, the audit trail, the inbox and
the health check. Views are thin: they check the request, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhizao.core import figures, frontpage, navigation, permissions, services
from zhizao.core import jobs as jobs_service
from zhizao.core.actors import request_actor
from zhizao.core.audit import AuditFilter, changes_visible_to, entries_for, record_changes
from zhizao.core.choices import Channel
from zhizao.core.downloads import serve_upload
from zhizao.core.filters import active_filters, filter_organizations, filter_query
from zhizao.core.forms import AuditFilterForm, OrganizationFilterForm, OrganizationForm
from zhizao.core.models import Job, Notification, Organization, Region


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    city = Region.objects.city()
    year = frontpage.front_page_year(city) if city is not None else timezone.localdate().year
    return render(
        request,
        "core/home.html",
        {"city": city, "year": year, "headlines": frontpage.headlines(city, year)},
    )


def _figures_region_year(request: HttpRequest) -> tuple[Region, int]:
    """The ``city`` (code or name; the demo city by default) and ``year`` (the front page's
    year by default) of a figures page; an unknown city or a malformed year is a 404."""
    text = request.GET.get("city", "")
    city = figures.find_region(text) if text else Region.objects.city()
    if city is None:
        raise Http404(_("Unknown city."))
    raw = request.GET.get("year", "")
    if raw:
        if not raw.isdigit() or not 1900 < int(raw) < 3000:
            raise Http404(_("Unknown year."))
        return city, int(raw)
    return city, frontpage.front_page_year(city)


def _visible_indicators(request: HttpRequest) -> list[figures.Indicator]:
    return figures.indicators(published_only=not permissions.is_staff_user(request.user))


@require_GET
def figure_catalogue(request: HttpRequest) -> HttpResponse:
    """Every indicator with its definition, standard, unit and the city's current value."""
    city, year = _figures_region_year(request)
    rows = [
        (indicator, indicator.compute(city, year)) for indicator in _visible_indicators(request)
    ]
    return render(request, "core/figures.html", {"city": city, "year": year, "rows": rows})


@require_GET
def figure_records(request: HttpRequest, code: str) -> HttpResponse:
    """The drill-down: exactly the records a figure was computed from, with their count."""
    indicator = figures.get(code)
    if indicator is None or indicator not in _visible_indicators(request):
        raise Http404(_("Unknown indicator."))
    city, year = _figures_region_year(request)
    figure = indicator.compute(city, year)
    records = indicator.records(city, year)
    if indicator.select_related:
        records = records.select_related(*indicator.select_related)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    rows = [[column.of(record) for column in indicator.columns] for record in page]
    return render(
        request,
        "core/figure_records.html",
        {
            "indicator": indicator,
            "figure": figure,
            "city": city,
            "year": year,
            "page": page,
            "rows": rows,
            "query": filter_query(request.GET),
        },
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": str(error)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/console.html",
        {
            "is_staff": permissions.is_staff_user(request.user),
            "groups": navigation.grouped_links_for(request.user),
        },
    )


@login_required
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """After login: the page of the user's daily job (the tester's entry form), else the
    console."""
    return redirect(navigation.landing_url(request.user))


@login_required
@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    """Staff see their regions' organizations; other roles see their own organization. The same
    view answers the htmx search with just the table."""
    form = OrganizationFilterForm(request.GET)
    queryset = permissions.organizations_with_private_access(request.user).select_related(
        "region", "parent"
    )
    if form.is_valid():
        data = form.cleaned_data
        queryset = filter_organizations(
            queryset,
            q=data["q"],
            kind=data["kind"],
            region=data["region"],
            industry_chain=data["industry_chain"],
        )
    page = Paginator(queryset.order_by("name"), 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "chips": active_filters(form, request.GET),
        "query": filter_query(request.GET),
        "can_create": permissions.can_create_organization(request.user, None),
    }
    if request.headers.get("HX-Request"):
        return render(request, "core/_partials/organization_table.html", context)
    return render(request, "core/organization_list.html", context)


def _organization_for(request: HttpRequest, pk: int) -> Organization:
    organization = get_object_or_404(Organization.objects.select_related("region", "parent"), pk=pk)
    if not permissions.can_view_private(request.user, organization):
        raise PermissionDenied
    return organization


@login_required
@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_for(request, pk)
    return render(
        request,
        "core/organization_detail.html",
        {
            "organization": organization,
            "changes": record_changes(organization),
            "can_change": permissions.can_change_organization(request.user, organization),
            "can_delete": permissions.can_delete_organization(request.user, organization),
        },
    )


def _save_organization(
    request: HttpRequest, form: OrganizationForm, instance: Organization | None
) -> Organization | None:
    if not form.is_valid():
        return None
    data: dict[str, Any] = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        if instance is None:
            return services.create_organization(request_actor(request), data)
        return services.update_organization(request_actor(request), instance, data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_organization(request.user, None):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, actor=request_actor(request))
    if request.method == "POST":
        organization = _save_organization(request, form, None)
        if organization is not None:
            messages.success(
                request, _("Organization %(name)s registered.") % {"name": organization.name}
            )
            return redirect("core:organization_list")
    return render(request, "core/organization_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_for(request, pk)
    if not permissions.is_staff_user(request.user):
        raise PermissionDenied  # organization users change contact details through the API
    form = OrganizationForm(
        request.POST or None, instance=organization, actor=request_actor(request)
    )
    if request.method == "POST":
        saved = _save_organization(request, form, Organization.objects.get(pk=pk))
        if saved is not None:
            messages.success(request, _("Organization %(name)s saved.") % {"name": saved.name})
            return redirect("core:organization_detail", pk=saved.pk)
    return render(
        request, "core/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
@require_POST
def organization_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_for(request, pk)
    try:
        services.delete_organization(request_actor(request), organization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:organization_detail", pk=pk)
    messages.success(request, _("Organization deleted."))
    return redirect("core:organization_list")


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The changes of the records this officer may see (each record type scoped as on its own
    pages), filtered by who, record type, record and date, 50 a page."""
    if not permissions.can_read_audit_trail(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    query = AuditFilter()
    if form.is_valid():
        data = form.cleaned_data
        query = AuditFilter(
            who=data["who"].strip(),
            model=data["model"],
            record_id=data["record_id"],
            since=data["since"],
            until=data["until"],
        )
    page = Paginator(changes_visible_to(request.user, query), 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "changes": entries_for(page.object_list),
        "query": filter_query(request.GET),
    }
    return render(request, "core/audit_log.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient=request_actor(request), channel=Channel.INBOX)
    if request.method == "POST":
        items.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:inbox")
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


# --- Background jobs (core.jobs) ---------------------------------------------------------------

JOB_ERRORS_PER_PAGE = 200


def _job_for(request: HttpRequest, pk: int) -> Job:
    """The job, if the user may see it (its owner; a superuser); another's job is a 404, so
    that job numbers reveal nothing."""
    job = Job.objects.visible_to(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.visible_to(request.user).filter(owner=request_actor(request))
    page = Paginator(jobs.defer("errors"), 25).get_page(request.GET.get("page"))
    for job in page.object_list:
        job.kind_label = jobs_service.kind_label(job.kind)  # type: ignore[attr-defined]
    return render(request, "core/job_list.html", {"page": page})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress (the htmx poll asks for the same view and gets the partial, until the
    job is finished) and, once it is, its download link or every error, page by page."""
    job = _job_for(request, pk)
    errors = Paginator(job.errors, JOB_ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "kind_label": jobs_service.kind_label(job.kind),
        "counters": jobs_service.kind_counters(job.kind),
        "errors": errors,
    }
    if request.headers.get("HX-Request"):
        return render(request, "core/_partials/job_progress.html", context)
    return render(request, "core/job_detail.html", context)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job_for(request, pk)
    if not job.result:
        raise Http404
    return serve_upload(job.result, filename=job.result_name)
