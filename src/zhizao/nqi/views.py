"""Quality-infrastructure pages: the public registers and capability search, the one-stop
catalogue, requests and their steps, and the pilot dashboard. Thin: every change is a service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhizao.core.actors import request_actor
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import is_staff_user
from zhizao.nqi import capability, dashboard, forms, importing, search, services
from zhizao.nqi.choices import Element, Stage
from zhizao.nqi.models import (
    InnovationBase,
    OfferingProvider,
    OneStopPilot,
    RewardGrant,
    ServiceOffering,
    ServiceRequest,
    StandardAward,
    StandardizationPilot,
    TechnicalCommittee,
)
from zhizao.standards.importing import ImportRefused


def _city() -> Region:
    city = Region.objects.city()
    if city is None:
        raise Http404
    return city


@require_GET
def registers(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "nqi/registers.html",
        {
            "committees": TechnicalCommittee.objects.select_related("secretariat"),
            "bases": InnovationBase.objects.select_related("region"),
            "pilots": StandardizationPilot.objects.select_related("region"),
            "grants": RewardGrant.objects.select_related(
                "ledger_grant__organization", "ledger_grant__programme__region"
            ),
            "awards": StandardAward.objects.select_related(
                "recipient", "standard", "grant__ledger_grant"
            ),
            "staff": is_staff_user(request.user),
        },
    )


@require_GET
def capability_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = capability.find(query) if query else []
    template = (
        "nqi/_partials/capability_results.html"
        if request.headers.get("HX-Request")
        else ("nqi/capability.html")
    )
    return render(
        request, template, {"q": query, "results": results, "today": timezone.localdate()}
    )


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    hits = search.rank(text) if text else []
    offerings = ServiceOffering.objects.prefetch_related("providers__provider")
    return render(
        request,
        "nqi/catalogue.html",
        {"q": text, "hits": hits, "offerings": offerings},
    )


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@login_required
@require_http_methods(["GET", "POST"])
def file_request(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", "") != "enterprise":
        raise PermissionDenied
    errors: list[str] = []
    text = request.POST.get("text", "") if request.method == "POST" else request.GET.get("q", "")
    hits = search.rank(text) if text.strip() else []
    if request.method == "POST":
        offering = ServiceOffering.objects.filter(pk=request.POST.get("offering") or 0).first()
        try:
            filed = services.file_request(request_actor(request), text, offering=offering)
        except ValidationError as error:
            errors = _errors(error)
        else:
            return redirect("nqi:request", pk=filed.pk)
    return render(request, "nqi/file_request.html", {"text": text, "hits": hits, "errors": errors})


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    rows = (
        ServiceRequest.objects.visible_to(request.user)
        .select_related("enterprise", "provider", "offering", "pilot")
        .order_by("-filed_at")[:200]
    )
    return render(request, "nqi/requests.html", {"rows": rows})


ACTIONS = ("route", "accept", "decline", "quote", "deliver", "close", "rate")


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ServiceRequest.objects.visible_to(request.user).select_related(
            "enterprise", "enterprise__region", "provider", "offering", "pilot"
        ),
        pk=pk,
    )
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        actor = request_actor(request)
        try:
            _act(actor, item, action, request.POST)
        except ValidationError as error:
            errors = _errors(error)
        else:
            return redirect("nqi:request", pk=item.pk)
    offers = (
        OfferingProvider.objects.select_related("offering", "provider")
        if is_staff_user(request.user)
        else OfferingProvider.objects.none()
    )
    return render(
        request,
        "nqi/request.html",
        {"item": item, "errors": errors, "offers": offers, "hits": search.rank(item.text, 5)},
    )


def _act(actor: User, item: ServiceRequest, action: str, data: object) -> None:
    post = data  # a QueryDict
    get = post.get  # type: ignore[attr-defined]
    if action == "route":
        offer = get_object_or_404(OfferingProvider, pk=get("offer") or 0)
        services.route_request(actor, item, offer.offering, offer.provider)
    elif action == "accept":
        services.accept_request(actor, item)
    elif action == "decline":
        services.decline_request(actor, item, get("reason", ""))
    elif action == "quote":
        try:
            amount = Decimal(get("amount", "").strip().replace(",", ""))
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError(
                {"quote_amount": [_("Quote a positive amount in yuan, e.g. 240.00.")]}
            ) from None
        services.quote_request(actor, item, amount)
    elif action == "deliver":
        services.deliver_request(actor, item, get("documents", ""))
    elif action == "close":
        services.close_request(actor, item)
    elif action == "rate":
        try:
            rating = int(get("rating", ""))
        except ValueError:
            rating = 0
        services.rate_request(actor, item, rating, get("comment", ""))
    else:
        raise Http404


@require_GET
def pilot_dashboard(request: HttpRequest) -> HttpResponse:
    city = _city()
    year = request.GET.get("year", "")
    chosen = int(year) if year.isdigit() else timezone.localdate().year
    return render(
        request,
        "nqi/dashboard.html",
        {
            "city": city,
            "year": chosen,
            "rows": dashboard.pilot_rows(city, chosen),
            "elements": Element.choices,
            "stages": Stage.choices,
        },
    )


@require_GET
def pilot_drilldown(request: HttpRequest, pk: int) -> HttpResponse:
    """The requests behind one number of the pilot dashboard (public, like the figures'
    drill-down: the request, enterprise, service, status, dates and rating)."""
    city = _city()
    pilot = get_object_or_404(OneStopPilot, pk=pk, city=city)
    year = request.GET.get("year", "")
    chosen = int(year) if year.isdigit() else timezone.localdate().year
    measure = request.GET.get("measure", "requests")
    if measure not in dashboard.MEASURES:
        measure = "requests"
    element = request.GET.get("element", "")
    element = element if element in Element.values else ""
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    rows = dashboard.pilot_requests(city, chosen, pilot, measure, element=element, stage=stage)
    return render(
        request,
        "nqi/dashboard_requests.html",
        {
            "city": city,
            "year": chosen,
            "pilot": pilot,
            "measure": measure,
            "element": Element(element).label if element else "",
            "stage": Stage(stage).label if stage else "",
            "rows": rows,
        },
    )


@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.select_related("quality_body"), pk=pk)
    if not hasattr(organization, "quality_body"):
        raise Http404
    body = organization.quality_body
    accreditations = body.accreditations.prefetch_related("scope")
    return render(
        request,
        "nqi/body.html",
        {"body": body, "accreditations": accreditations, "today": timezone.localdate()},
    )


# --- Staff pages of the registers -----------------------------------------------------------

REGISTERS: dict[str, tuple[Any, Any, Any, Any, Any]] = {
    # kind: (model, form, create service, update service or None, title)
    "committees": (
        TechnicalCommittee,
        forms.CommitteeForm,
        services.create_committee,
        services.update_committee,
        gettext_lazy("technical committee"),
    ),
    "bases": (
        InnovationBase,
        forms.InnovationBaseForm,
        services.create_innovation_base,
        services.update_innovation_base,
        gettext_lazy("innovation base or centre"),
    ),
    "pilots": (
        StandardizationPilot,
        forms.PilotForm,
        services.create_pilot,
        services.update_pilot,
        gettext_lazy("standardization pilot project"),
    ),
    # A grant is a payment: recorded once, never edited (the fund ledger adopts it).
    "grants": (
        RewardGrant,
        forms.GrantForm,
        services.record_reward_grant,
        None,
        gettext_lazy("standardization reward grant"),
    ),
}


def _staff(request: HttpRequest) -> User:
    if not is_staff_user(request.user):
        raise PermissionDenied
    return request_actor(request)


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def register_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Create (or, but for grants, edit) a register record through its service."""
    if kind not in REGISTERS:
        raise Http404
    actor = _staff(request)
    model, form_class, create, update, title = REGISTERS[kind]
    record = None
    if pk is not None:
        if update is None:
            raise Http404
        record = get_object_or_404(model, pk=pk)
    form = form_class(request.POST or None, instance=record, user=actor)
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        try:
            if record is None:
                create(actor, data)
            else:
                update(actor, record, data)
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Saved."))
            return redirect("nqi:registers")
    return render(
        request,
        "nqi/register_form.html",
        {"form": form, "title": title, "record": record, "kind": kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept_pilot(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a pilot project's acceptance assessment."""
    actor = _staff(request)
    pilot = get_object_or_404(StandardizationPilot, pk=pk)
    form = forms.AcceptPilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_pilot(
                actor,
                pilot,
                on=form.cleaned_data["accepted_on"],
                score=form.cleaned_data["score"],
                passed=form.cleaned_data["passed"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Saved."))
            return redirect("nqi:registers")
    return render(
        request,
        "nqi/register_form.html",
        {"form": form, "title": _("Acceptance of %(name)s") % {"name": pilot.name},
         "record": pilot, "kind": "accept"},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def import_accreditations(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX of accreditations and scope lines (all or nothing)."""
    actor = _staff(request)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose a CSV or XLSX file.")]
        else:
            try:
                summary = importing.import_accreditations(actor, upload, upload.name or "")
            except ImportRefused as refused:
                problems = [str(problem) for problem in refused.problems]
            else:
                messages.success(
                    request,
                    _("Imported %(accreditations)d accreditations with %(lines)d scope lines.")
                    % {"accreditations": summary.accreditations, "lines": summary.scope_lines},
                )
                return redirect("nqi:registers")
    return render(
        request,
        "nqi/import_accreditations.html",
        {
            "problems": problems,
            "columns": [
                (en, zh, column in importing.REQUIRED)
                for column, (en, zh) in importing.COLUMNS.items()
            ],
        },
    )
