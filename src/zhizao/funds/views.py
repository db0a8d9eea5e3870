"""Fund pages: the public list of programmes with their totals, and a programme's page, whose
applications and grants each user sees as far as ``permissions`` lets them. Documents are
served only through :func:`document_download`, after the permission check."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from zhizao.core.downloads import serve_upload
from zhizao.funds import permissions
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
