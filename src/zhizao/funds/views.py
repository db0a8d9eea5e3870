"""Fund pages: the public list of programmes with their totals (budget, granted, paid, left),
a programme's page, the applications list (filtered, htmx), an application with its review and
grant forms, a grant with its payments and the payment form (voucher scan, a PDF). Each user
sees applications, grants and payments as far as ``permissions`` lets them; every change is a
service call. Documents and voucher scans are served only after the permission check."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhizao.core.actors import request_actor
from zhizao.core.downloads import serve_upload
from zhizao.core.filters import active_filters
from zhizao.core.models import Organization, User
from zhizao.funds import forms, permissions, services
from zhizao.funds.choices import CENT, ApplicationStatus
from zhizao.funds.filters import filter_applications
from zhizao.funds.models import FundApplication, FundDocument, FundGrant, FundProgramme

LIST_LIMIT = 200


def _paid(programmes: QuerySet[FundProgramme]) -> QuerySet[FundProgramme]:
    """Each programme with ``paid``: the payments of its grants (a subquery, so the counts of
    applications are not multiplied by the grants)."""
    paid = (
        FundGrant.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(total=Sum("paid_total"))
        .values("total")
    )
    return programmes.annotate(
        paid=Coalesce(
            Subquery(paid),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = _paid(
        FundProgramme.objects.select_related("region").annotate(
            applicants=Count("applications", distinct=True),
            funded=Count("grants__organization", distinct=True),
        )
    ).order_by("-year", "kind", "code")
    rows = list(programmes)
    for row in rows:
        row.paid = row.paid.quantize(CENT)  # type: ignore[attr-defined]  # SQLite: unscaled
    return render(request, "funds/programme_list.html", {"programmes": rows})


@require_GET
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(_paid(FundProgramme.objects.select_related("region")), code=code)
    programme.paid = programme.paid.quantize(CENT)  # type: ignore[attr-defined]
    applications = (
        permissions.applications_visible_to(request.user)
        .filter(programme=programme)
        .select_related("organization", "grant")
        .prefetch_related("documents")
        .order_by("organization__name", "pk")
    )
    grants = (
        permissions.grants_visible_to(request.user)
        .filter(programme=programme, application__isnull=True)
        .select_related("organization")
        .order_by("-granted_on", "pk")
    )
    return render(
        request,
        "funds/programme_detail.html",
        {"programme": programme, "applications": applications, "grants": grants},
    )


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications the user may see (its own, or its regions' for staff), filtered."""
    form = forms.ApplicationFilterForm(request.GET)
    rows = permissions.applications_visible_to(request.user).select_related(
        "programme", "organization", "grant"
    )
    if form.is_valid():
        rows = filter_applications(rows, form.cleaned_data)
    context = {
        "form": form,
        "chips": active_filters(form, request.GET),
        "applications": rows.order_by("-programme__year", "programme__code", "organization__name")[
            :LIST_LIMIT
        ],
        "limit": LIST_LIMIT,
    }
    if request.headers.get("HX-Request"):
        return render(request, "funds/_partials/application_table.html", context)
    return render(request, "funds/application_list.html", context)


def _visible_application(request: HttpRequest, pk: int) -> FundApplication:
    return get_object_or_404(
        permissions.applications_visible_to(request.user).select_related(
            "programme", "organization__region", "reviewed_by"
        ),
        pk=pk,
    )


def _application_page(
    request: HttpRequest,
    application: FundApplication,
    *,
    review_form: forms.ReviewForm | None = None,
    grant_form: forms.GrantForm | None = None,
) -> HttpResponse:
    user = request.user
    may_decide = permissions.can_decide_for(user, application.programme, application.organization)
    if grant_form is None:
        grant_form = forms.GrantForm(initial={"amount": application.amount_requested})
    return render(
        request,
        "funds/application_detail.html",
        {
            "application": application,
            "documents": application.documents.all(),
            "grant": FundGrant.objects.filter(application=application).first(),
            "review_form": (review_form or forms.ReviewForm())
            if may_decide and application.status == ApplicationStatus.SUBMITTED
            else None,
            "grant_form": (
                grant_form or forms.GrantForm(initial={"amount": application.amount_requested})
            )
            if may_decide and application.status == ApplicationStatus.APPROVED
            else None,
        },
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, _visible_application(request, pk))


def _decider(request: HttpRequest, programme: FundProgramme, organization: Organization) -> User:
    actor = request_actor(request)
    if not permissions.can_decide_for(actor, programme, organization):
        raise PermissionDenied(
            _("Only bureau staff administering this programme for the applicant's region decide.")
        )
    return actor


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    actor = _decider(request, application.programme, application.organization)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_fund_application(
                actor,
                application,
                decision=form.cleaned_data["decision"],
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("funds:application", pk=application.pk)
    return _application_page(request, application, review_form=form)


@login_required
@require_POST
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    actor = _decider(request, application.programme, application.organization)
    form = forms.GrantForm(request.POST)
    if form.is_valid():
        try:
            made = services.grant_fund(
                actor,
                application,
                form.cleaned_data["amount"],
                form.cleaned_data["granted_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The grant was recorded."))
            return redirect("funds:grant", pk=made.pk)
    return _application_page(request, application, grant_form=form)


def _grant_page(
    request: HttpRequest, grant_row: FundGrant, *, form: forms.PaymentForm | None = None
) -> HttpResponse:
    may_pay = (
        permissions.can_decide_for(request.user, grant_row.programme, grant_row.organization)
        and grant_row.paid_total < grant_row.amount
    )
    return render(
        request,
        "funds/grant_detail.html",
        {
            "grant": grant_row,
            "unpaid": grant_row.amount - grant_row.paid_total,
            "payments": grant_row.payments.order_by("paid_on", "pk"),
            "form": (form or forms.PaymentForm()) if may_pay else None,
        },
    )


def _visible_grant(request: HttpRequest, pk: int) -> FundGrant:
    return get_object_or_404(
        permissions.grants_visible_to(request.user).select_related(
            "programme", "organization__region", "application"
        ),
        pk=pk,
    )


@login_required
@require_GET
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _grant_page(request, _visible_grant(request, pk))


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    grant_row = _visible_grant(request, pk)
    actor = _decider(request, grant_row.programme, grant_row.organization)
    form = forms.PaymentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.record_payment(
                actor,
                grant_row,
                form.cleaned_data["amount"],
                form.cleaned_data["paid_on"],
                form.cleaned_data["voucher"],
                voucher_file=form.cleaned_data["voucher_file"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The payment was recorded."))
            return redirect("funds:grant", pk=grant_row.pk)
    grant_row.refresh_from_db()
    return _grant_page(request, grant_row, form=form)


@require_GET
def voucher_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    payment = get_object_or_404(permissions.payments_visible_to(request.user), pk=pk)
    if not payment.voucher_file:
        raise Http404
    return serve_upload(
        payment.voucher_file,
        filename=payment.voucher_file_name or "voucher.pdf",
        content_type="application/pdf",
    )


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = get_object_or_404(
        FundDocument.objects.select_related("application__organization"), pk=pk
    )
    if not permissions.can_view_application(request.user, document.application):
        raise Http404
    return serve_upload(
        document.file, filename=document.original_name, content_type="application/pdf"
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """An enterprise user applies for its own organization, with an optional PDF document (the
    application and its document are saved together or not at all)."""
    programme = get_object_or_404(FundProgramme, code=code)
    user = request.user
    assert isinstance(user, User)
    organization = user.organization
    if organization is None or not permissions.can_apply(user, programme, organization):
        raise PermissionDenied(_("Only an enterprise user applies, for its own organization."))
    form = forms.ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                application = services.submit_fund_application(
                    user,
                    programme,
                    organization,
                    form.cleaned_data["project"],
                    form.cleaned_data["amount_requested"],
                )
                if form.cleaned_data["file"]:
                    services.add_fund_document(user, application, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The application was submitted."))
            return redirect("funds:programme", code=programme.code)
    return render(request, "funds/apply.html", {"programme": programme, "form": form})
