"""Incident pages: the public summary per domain; staff's list, entry form and each incident's
page with grade confirmation, handling and closure (through ``incidents.services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhizao.core.filters import active_filters
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import staff_regions
from zhizao.core.validators import normalise_credit_code
from zhizao.incidents import permissions, services
from zhizao.incidents.choices import RECORDS_FROM_YEAR, Domain
from zhizao.incidents.filters import filter_incidents
from zhizao.incidents.forms import GradeForm, IncidentFilterForm, IncidentForm, TextForm
from zhizao.incidents.models import Incident

LIST_LIMIT = 200


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Per domain: years without a major incident and the year's major incidents (counts)."""
    city = Region.objects.city()
    if city is None:
        raise Http404
    year = timezone.localdate().year
    if request.GET.get("year", "").isdigit():
        year = max(RECORDS_FROM_YEAR, min(int(request.GET["year"]), year))
    rows = []
    for domain in Domain:
        records = services.records_between(city, RECORDS_FROM_YEAR, year).filter(domain=domain)
        rows.append(
            {
                "domain": domain,
                "years": services.years_without_major(city, year, domain),
                "major": records.filter(occurred_on__year=year).major().count(),
                "total": records.filter(occurred_on__year=year).count(),
            }
        )
    return render(
        request,
        "incidents/index.html",
        {
            "city": city,
            "year": year,
            "rows": rows,
            "from_year": RECORDS_FROM_YEAR,
            "years_all": services.years_without_major(city, year),
        },
    )


@login_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_list(request.user):
        raise PermissionDenied
    form = IncidentFilterForm(request.GET)
    rows = Incident.objects.visible_to(request.user).select_related("region")
    if form.is_valid():
        rows = filter_incidents(rows, form.cleaned_data)
    return render(
        request,
        "incidents/list.html",
        {"form": form, "chips": active_filters(form, request.GET), "incidents": rows[:LIST_LIMIT]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_record(request.user):
        raise PermissionDenied
    form = IncidentForm(request.POST or None, regions=staff_regions(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = []
        code = data.pop("organization_credit_code")
        role = data.pop("role")
        if code:
            organization = Organization.objects.filter(
                credit_code=normalise_credit_code(code)
            ).first()
            if organization is None:
                form.add_error(
                    "organization_credit_code",
                    _("No registered organization has this credit code."),
                )
            else:
                parties.append(services.Party(organization, role))
        if not form.errors:
            try:
                incident = services.record_incident(_user(request), parties=parties, **data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("Incident recorded; suggested grade: %(grade)s.")
                    % {"grade": incident.get_suggested_grade_display()},
                )
                return redirect("incidents:detail", pk=incident.pk)
    return render(request, "incidents/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user).select_related("region", "grade_confirmed_by"),
        pk=pk,
    )
    can_edit = Incident.objects.editable_by(request.user).filter(pk=pk).exists()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "grade":
                grade_form = GradeForm(request.POST)
                if grade_form.is_valid():
                    services.confirm_grade(_user(request), incident, **grade_form.cleaned_data)
            elif action == "handling":
                text = TextForm(request.POST)
                services.record_handling(
                    _user(request), incident, text.cleaned_data["text"] if text.is_valid() else ""
                )
            elif action == "close":
                text = TextForm(request.POST)
                services.close_incident(
                    _user(request), incident, text.cleaned_data["text"] if text.is_valid() else ""
                )
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("incidents:detail", pk=pk)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "parties": incident.parties.select_related("organization"),
            "can_edit": can_edit,
            "grade_form": GradeForm(initial={"grade": incident.effective_grade}),
            "text_form": TextForm(),
            "history": incident.history.select_related("history_user").order_by("-history_date")[
                :20
            ],
        },
    )
