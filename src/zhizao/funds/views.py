"""Fund pages: the public list of programmes with their totals, and a programme's page, whose
applications and grants each user sees as far as ``permissions`` lets them. Documents are
served only through :func:`document_download`, after the permission check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhizao.core.downloads import serve_upload
from zhizao.core.models import User
from zhizao.funds import forms, permissions, services
from zhizao.funds.choices import ApplicationStatus
from zhizao.funds.models import FundDocument, FundProgramme


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = (
        FundProgramme.objects.select_related("region")
        .annotate(
            applicants=Count("applications"),
            funded=Count("applications", filter=Q(applications__status=ApplicationStatus.GRANTED)),
        )
        .order_by("-year", "kind", "code")
    )
    return render(request, "funds/programme_list.html", {"programmes": programmes})


@require_GET
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(FundProgramme.objects.select_related("region"), code=code)
    applications = (
        permissions.applications_visible_to(request.user)
        .filter(programme=programme)
        .select_related("organization", "grant")
        .prefetch_related("documents")
        .order_by("organization__name", "pk")
    )
    return render(
        request,
        "funds/programme_detail.html",
        {"programme": programme, "applications": applications},
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
