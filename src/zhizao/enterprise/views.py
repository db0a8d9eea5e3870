"""Enterprise pages: search, the profile by credit code, quality events (with attendance and
materials) and chief quality officers. Views are thin: check the request, call a service,
render."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhizao.core.actors import request_actor
from zhizao.core.downloads import serve_upload
from zhizao.core.models import Organization
from zhizao.core.permissions import staff_regions
from zhizao.enterprise import forms, permissions, services
from zhizao.enterprise.filters import (
    CreditCodeNotFound,
    organization_by_credit_code,
    search_organizations,
)
from zhizao.enterprise.models import EnterprisePerformance, EventMaterial, QualityEvent
from zhizao.enterprise.profile import build_profile

SEARCH_LIMIT = 100


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET)
    results = []
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["chain"]):
        results = list(
            search_organizations(form.cleaned_data["q"], form.cleaned_data["chain"])[:SEARCH_LIMIT]
        )
    context = {"form": form, "results": results, "limit": SEARCH_LIMIT}
    if request.headers.get("HX-Request"):
        return render(request, "enterprise/_partials/results.html", context)
    return render(request, "enterprise/search.html", context)


@require_GET
def profile(request: HttpRequest, credit_code: str) -> HttpResponse:
    try:
        organization = organization_by_credit_code(credit_code)
    except CreditCodeNotFound as missing:
        return render(request, "enterprise/not_found.html", {"reason": missing.reason}, status=404)
    return render(
        request,
        "enterprise/profile.html",
        {
            "profile": build_profile(organization, request.user),
            "organization": organization,
            "can_register_officer": permissions.can_register_officer(request.user, organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_create(request: HttpRequest, credit_code: str) -> HttpResponse:
    try:
        organization = organization_by_credit_code(credit_code)
    except CreditCodeNotFound as missing:
        raise Http404(missing.reason) from None
    user = request_actor(request)
    if not permissions.can_register_officer(user, organization):
        raise PermissionDenied(
            _(
                "Only the organization's own users or bureau staff of its region may register "
                "its chief quality officer."
            )
        )
    form = forms.OfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_officer(user, organization, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The chief quality officer was registered."))
            return redirect("enterprise:profile", credit_code=organization.credit_code)
    return render(
        request, "enterprise/officer_form.html", {"form": form, "organization": organization}
    )


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    events = (
        QualityEvent.objects.select_related("region")
        .annotate(
            attended=Count(
                "participations",
                filter=Q(participations__attended=True, participations__role="participant"),
            )
        )
        .order_by("-held_on", "pk")
    )
    return render(
        request,
        "enterprise/event_list.html",
        {"events": events, "can_record": permissions.can_record_event(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    user = request_actor(request)
    if not permissions.can_record_event(user):
        raise PermissionDenied(_("Only bureau staff record quality events."))
    form = forms.EventForm(request.POST or None)
    form.fields["region"].queryset = staff_regions(user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            event = services.record_event(user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("enterprise:event", pk=event.pk)
    return render(request, "enterprise/event_form.html", {"form": form})


def _event_context(request: HttpRequest, event: QualityEvent) -> dict[str, object]:
    named = set(
        permissions.participations_with_names(request.user)
        .filter(event=event)
        .values_list("pk", flat=True)
    )
    participations = [
        (participation, participation.pk in named)
        for participation in event.participations.select_related("organization").order_by(
            "role", "organization__name", "person_name"
        )
    ]
    can_record = permissions.can_record_event(request.user, event)
    return {
        "event": event,
        "participations": participations,
        "can_record": can_record,
        "can_view_materials": permissions.can_view_materials(request.user, event),
        "materials": event.materials.all(),
        "attendance_form": forms.AttendanceForm(),
        "material_form": forms.MaterialForm(),
    }


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(QualityEvent.objects.select_related("region"), pk=pk)
    return render(request, "enterprise/event_detail.html", _event_context(request, event))


@login_required
@require_POST
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(QualityEvent, pk=pk)
    user = request_actor(request)
    if not permissions.can_record_event(user, event):
        raise PermissionDenied(
            _("Only bureau staff of the event's region may record its attendance.")
        )
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        try:
            rows = services.parse_attendance(form.cleaned_data["rows"])
            services.record_attendance(user, event, rows)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect("enterprise:event", pk=event.pk)
    context = _event_context(request, event)
    context["attendance_form"] = form
    return render(request, "enterprise/event_detail.html", context, status=400)


@login_required
@require_POST
def event_material(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(QualityEvent, pk=pk)
    user = request_actor(request)
    if not permissions.can_record_event(user, event):
        raise PermissionDenied(_("Only bureau staff of the event's region may add its materials."))
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_event_material(user, event, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The material was uploaded."))
            return redirect("enterprise:event", pk=event.pk)
    context = _event_context(request, event)
    context["material_form"] = form
    return render(request, "enterprise/event_detail.html", context, status=400)


@require_GET
def material_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    material = get_object_or_404(EventMaterial.objects.select_related("event"), pk=pk)
    if not permissions.can_view_materials(request.user, material.event):
        raise Http404
    return serve_upload(
        material.file, filename=material.original_name, content_type="application/pdf"
    )


def _organization(credit_code: str) -> Organization:
    try:
        return organization_by_credit_code(credit_code)
    except CreditCodeNotFound as missing:
        raise Http404(missing.reason) from None


@login_required
@require_http_methods(["GET", "POST"])
def performance(request: HttpRequest, credit_code: str) -> HttpResponse:
    """The enterprise's yearly values: its users report them (staff of its region review them),
    staff of its region enter them; a check that asks for confirmation shows a checkbox."""
    organization = _organization(credit_code)
    user = request_actor(request)
    if not permissions.can_report_performance(user, organization):
        raise PermissionDenied(
            _(
                "Only the organization's own users or bureau staff of its region may report its "
                "performance."
            )
        )
    form = forms.PerformanceForm(request.POST or None)
    confirm_field = form.fields["confirm"]
    assert isinstance(confirm_field, django_forms.MultipleChoiceField)
    if request.method == "POST":
        confirm_field.choices = [(code, code) for code in request.POST.getlist("confirm")]
    if request.method == "POST" and form.is_valid():
        try:
            services.report_performance(
                user,
                organization,
                form.cleaned_data["year"],
                form.values(),
                confirm=form.cleaned_data["confirm"],
            )
        except services.NeedsConfirmation as needed:
            confirm_field.choices = list(needed.checks.items())
            form.add_error("confirm", list(needed.checks.values()))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The values were saved."))
            return redirect("enterprise:performance", credit_code=organization.credit_code)
    rows = (
        permissions.performance_visible_to(user).filter(organization=organization).order_by("-year")
    )
    return render(
        request,
        "enterprise/performance.html",
        {
            "organization": organization,
            "form": form,
            "rows": rows,
            "can_review": permissions.is_regional_staff(user, organization),
            "review_form": forms.ReviewForm(),
        },
    )


@login_required
@require_POST
def performance_review(request: HttpRequest, credit_code: str, year: int) -> HttpResponse:
    organization = _organization(credit_code)
    row = get_object_or_404(EnterprisePerformance, organization=organization, year=year)
    user = request_actor(request)
    if not permissions.is_regional_staff(user, organization):
        raise PermissionDenied(
            _("Only bureau staff of the organization's region may review its performance.")
        )
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_performance(
                user, row, accept=form.cleaned_data["accept"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The review was recorded."))
    return redirect("enterprise:performance", credit_code=organization.credit_code)
