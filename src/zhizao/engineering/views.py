"""Engineering pages: public pass rates; projects with their inspections, acceptances and
honours (staff record inspections and acceptances through ``engineering.services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhizao.core.figures import in_region
from zhizao.core.filters import active_filters
from zhizao.core.models import Region, User
from zhizao.engineering import permissions, services
from zhizao.engineering.choices import Grouping, ProjectKind
from zhizao.engineering.filters import filter_projects
from zhizao.engineering.forms import AcceptanceForm, InspectionForm, ProjectFilterForm, RateForm
from zhizao.engineering.models import Acceptance, Inspection, Project

LIST_LIMIT = 200


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    city = Region.objects.city()
    if city is None:
        raise Http404
    form = RateForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    grouping = data.get("by") or Grouping.KIND
    first = Acceptance.objects.filter(in_region(city, "project__region"), attempt=1)
    checks = Inspection.objects.filter(in_region(city, "project__region"))
    last = first.aggregate(last=Max("accepted_on"))["last"]
    year = data.get("year") or (last.year if last else None)
    if year and grouping != Grouping.YEAR:
        first = first.filter(accepted_on__year=year)
        checks = checks.filter(inspected_on__year=year)
    return render(
        request,
        "engineering/index.html",
        {
            "city": city,
            "form": form,
            "year": year,
            "grouping": Grouping(grouping),
            "first_rows": services.rates(first, grouping, "accepted_on"),
            "inspection_rows": services.rates(
                checks.exclude(project__kind=ProjectKind.CONSTRUCTION), grouping, "inspected_on"
            ),
        },
    )


@login_required
@require_GET
def projects(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_projects(request.user):
        raise PermissionDenied
    form = ProjectFilterForm(request.GET)
    rows = Project.objects.visible_to(request.user).select_related("region", "builder")
    if form.is_valid():
        rows = filter_projects(rows, form.cleaned_data)
    return render(
        request,
        "engineering/project_list.html",
        {"form": form, "chips": active_filters(form, request.GET), "projects": rows[:LIST_LIMIT]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related(
            "region", "builder", "supervisor", "designer"
        ),
        pk=pk,
    )
    can_edit = Project.objects.editable_by(request.user).filter(pk=pk).exists()
    inspection_form = InspectionForm(prefix="inspection")
    acceptance_form = AcceptanceForm(prefix="acceptance")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "inspection":
                inspection_form = InspectionForm(request.POST, prefix="inspection")
                if inspection_form.is_valid():
                    services.record_inspection(
                        _user(request), project, **inspection_form.cleaned_data
                    )
                    messages.success(request, _("Saved."))
                    return redirect("engineering:project", pk=pk)
            elif action == "acceptance":
                acceptance_form = AcceptanceForm(request.POST, prefix="acceptance")
                if acceptance_form.is_valid():
                    services.record_acceptance(
                        _user(request), project, **acceptance_form.cleaned_data
                    )
                    messages.success(request, _("Saved."))
                    return redirect("engineering:project", pk=pk)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
    return render(
        request,
        "engineering/project_detail.html",
        {
            "project": project,
            "can_edit": can_edit,
            "inspections": project.inspections.all(),
            "acceptances": project.acceptances.all(),
            "honours": project.honour_links.select_related("honour"),
            "inspection_form": inspection_form,
            "acceptance_form": acceptance_form,
        },
    )
