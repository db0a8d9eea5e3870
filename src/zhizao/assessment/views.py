"""Assessment pages (bureau staff only): the assessments of the user's regions, the templates
and their items, one assessment with its self-scores and documents, and the evidence pack.
Views are thin: they read through ``Assessment.objects.visible_to`` and call services."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhizao.assessment import evidence, pack, permissions, services
from zhizao.assessment.choices import (
    DEMO_LABEL_EN,
    DEMO_LABEL_ZH,
    DOCUMENT_CONTENT_TYPES,
    PACK_SYNC_MAX_RECORDS,
)
from zhizao.assessment.filters import filter_assessments
from zhizao.assessment.forms import (
    AssessmentFilterForm,
    CopyTemplateForm,
    DocumentForm,
    ItemForm,
    OpenAssessmentForm,
    ScoreForm,
    TemplateForm,
)
from zhizao.assessment.models import Assessment, AssessmentDocument, AssessmentTemplate, Item
from zhizao.core.actors import request_actor
from zhizao.core.choices import RegionLevel
from zhizao.core.downloads import serve_upload
from zhizao.core.filters import active_filters
from zhizao.core.permissions import staff_regions

DEMO_LABEL = (DEMO_LABEL_ZH, DEMO_LABEL_EN)


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _form_errors(form: object, error: ValidationError) -> None:
    fields = getattr(form, "fields", {})
    if hasattr(error, "error_dict"):
        for key, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(key if key in fields else None, message)  # type: ignore[attr-defined]
    else:
        for message in error.messages:
            form.add_error(None, message)  # type: ignore[attr-defined]


def _require_templates(request: HttpRequest) -> None:
    if not permissions.can_keep_templates(request.user):
        raise PermissionDenied(
            _("Only bureau staff of a city or the province keep the assessment templates.")
        )


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The assessments of the user's regions, and the form that opens one."""
    if not permissions.can_use_assessments(request.user):
        raise PermissionDenied(_("Only bureau staff use the provincial assessment."))
    regions = staff_regions(request.user).filter(
        level__in=(RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT)
    )
    open_form = OpenAssessmentForm(request.POST or None, regions=regions)
    if request.method == "POST" and open_form.is_valid():
        try:
            assessment = services.open_assessment(
                request_actor(request),
                open_form.cleaned_data["template"],
                open_form.cleaned_data["region"],
            )
        except ValidationError as error:
            _form_errors(open_form, error)
        else:
            messages.success(request, _("Assessment opened."))
            return redirect("assessment:assessment", pk=assessment.pk)
    filter_form = AssessmentFilterForm(request.GET)
    rows = Assessment.objects.visible_to(request.user).select_related(
        "region", "template", "snapshot"
    )
    if filter_form.is_valid():
        rows = filter_assessments(rows, filter_form.cleaned_data)
    return render(
        request,
        "assessment/index.html",
        {
            "assessments": rows,
            "open_form": open_form,
            "filter_form": filter_form,
            "chips": active_filters(filter_form, request.GET),
            "demo_label": DEMO_LABEL,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request: HttpRequest) -> HttpResponse:
    _require_templates(request)
    action = request.POST.get("action", "")
    new_form = TemplateForm(request.POST if action == "create" else None)
    copy_form = CopyTemplateForm(request.POST if action == "copy" else None)
    if request.method == "POST":
        actor = request_actor(request)
        form = new_form if action == "create" else copy_form
        if action not in ("create", "copy"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "create":
                    template = services.create_template(actor, data["year"], data["name"])
                else:
                    template = services.copy_template(
                        actor, data["source"], data["year"], data["name"]
                    )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Template saved."))
                return redirect("assessment:template", pk=template.pk)
    templates = AssessmentTemplate.objects.select_related("copied_from").prefetch_related("items")
    return render(
        request,
        "assessment/template_list.html",
        {
            "templates": templates,
            "new_form": new_form,
            "copy_form": copy_form,
            "demo_label": DEMO_LABEL,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_templates(request)
    template = get_object_or_404(AssessmentTemplate, pk=pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mappings = services.parse_mappings(data.pop("indicators"))
            item = services.save_item(request_actor(request), template, data, mappings)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Item %(number)s saved.") % {"number": item.number})
            return redirect("assessment:template", pk=template.pk)
    items = template.items.prefetch_related("indicators").order_by("sort_key")
    return render(
        request,
        "assessment/template_detail.html",
        {
            "template": template,
            "items": items,
            "form": form,
            "in_use": template.assessments.exists(),
            "demo_label": DEMO_LABEL,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_templates(request)
    item = get_object_or_404(Item.objects.select_related("template"), pk=pk)
    form = ItemForm(request.POST) if request.method == "POST" else ItemForm.for_item(item)
    if request.method == "POST":
        actor = request_actor(request)
        try:
            if request.POST.get("action") == "delete":
                services.delete_item(actor, item)
                messages.success(request, _("Item %(number)s removed.") % {"number": item.number})
                return redirect("assessment:template", pk=item.template_id)
            if form.is_valid():
                data = form.cleaned_data
                mappings = services.parse_mappings(data.pop("indicators"))
                services.save_item(actor, item.template, data, mappings, item=item)
                messages.success(request, _("Item %(number)s saved.") % {"number": data["number"]})
                return redirect("assessment:template", pk=item.template_id)
        except ValidationError as error:
            _form_errors(form, error)
    return render(request, "assessment/item_edit.html", {"item": item, "form": form})


def _assessment_for(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if the user may see it; others get a 404 (its existence is not told)."""
    return get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "region", "template", "snapshot"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    failed: dict[int, tuple[ScoreForm | None, DocumentForm | None]] = {}
    if request.method == "POST":
        item = get_object_or_404(
            Item, pk=request.POST.get("item") or 0, template=assessment.template_id
        )
        actor = request_actor(request)
        action = request.POST.get("action", "")
        if action == "score":
            score_form = ScoreForm(request.POST, prefix=f"item{item.pk}")
            if score_form.is_valid():
                try:
                    services.score_item(
                        actor,
                        assessment,
                        item,
                        score_form.cleaned_data["self_score"],
                        score_form.cleaned_data["comment"],
                    )
                except ValidationError as error:
                    _form_errors(score_form, error)
            if not score_form.errors:
                messages.success(request, _("Item %(number)s scored.") % {"number": item.number})
                return redirect(f"{request.path}#item-{item.pk}")
            failed[item.pk] = (score_form, None)
        elif action == "attach":
            document_form = DocumentForm(request.POST, request.FILES, prefix=f"doc{item.pk}")
            if document_form.is_valid():
                try:
                    services.attach_document(
                        actor, assessment, item, document_form.cleaned_data["file"]
                    )
                except ValidationError as error:
                    _form_errors(document_form, error)
            if not document_form.errors:
                messages.success(
                    request, _("Document attached to item %(number)s.") % {"number": item.number}
                )
                return redirect(f"{request.path}#item-{item.pk}")
            failed[item.pk] = (None, document_form)
        elif action == "remove":
            document = get_object_or_404(
                AssessmentDocument, pk=request.POST.get("document") or 0, assessment=assessment
            )
            services.remove_document(actor, document)
            messages.success(request, _("Document removed."))
            return redirect(f"{request.path}#item-{item.pk}")
        else:
            raise Http404
    rows = evidence.item_evidence(assessment)
    forms_by_item = []
    for row in rows:
        failed_score, failed_document = failed.get(row.item.pk, (None, None))
        initial_score = row.score.self_score if row.score else row.suggested
        shown_score = failed_score or ScoreForm(
            prefix=f"item{row.item.pk}",
            initial={"self_score": initial_score, "comment": row.comment},
        )
        forms_by_item.append(
            {
                "row": row,
                "score_form": shown_score,
                "document_form": failed_document or DocumentForm(prefix=f"doc{row.item.pk}"),
            }
        )
    points, score = evidence.totals(rows)
    records = evidence.pack_records(rows)
    return render(
        request,
        "assessment/assessment_detail.html",
        {
            "assessment": assessment,
            "rows": forms_by_item,
            "points": points,
            "score": score,
            "records": records,
            "in_background": records > PACK_SYNC_MAX_RECORDS,
            "demo_label": DEMO_LABEL,
        },
    )


@login_required
@require_POST
def pack_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The evidence pack: built in the request when its workbooks are small, else by the task
    worker (the job's page shows its progress and the download)."""
    assessment = _assessment_for(request, pk)
    rows = evidence.item_evidence(assessment)
    if evidence.pack_records(rows) > PACK_SYNC_MAX_RECORDS:
        job = services.start_pack(request_actor(request), assessment)
        return redirect("core:job_detail", pk=job.pk)
    buffer = io.BytesIO()
    pack.build_pack(assessment, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack.pack_name(assessment)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = get_object_or_404(
        AssessmentDocument.objects.filter(
            assessment__in=Assessment.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return serve_upload(
        document.file,
        filename=document.original_name,
        content_type=DOCUMENT_CONTENT_TYPES[document.kind],  # type: ignore[index]
    )
