"""Supervision-sampling pages: public pass rates; staff's batches, entry form, import, plans,
early warnings; the follow-up of each non-conforming batch (staff and the batch's producer
and seller). Every change goes through ``sampling.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhizao.core.figures import in_region
from zhizao.core.filters import active_filters
from zhizao.core.models import Organization, Region, User
from zhizao.core.permissions import staff_regions
from zhizao.core.tabular import ImportRefused
from zhizao.core.validators import normalise_credit_code
from zhizao.sampling import importing, permissions, services
from zhizao.sampling.choices import CaseStatus, Grouping
from zhizao.sampling.filters import filter_batches, filter_cases
from zhizao.sampling.forms import (
    ITEM_ROWS,
    BatchFilterForm,
    BatchForm,
    CaseFilterForm,
    FollowUpForm,
    ImportForm,
    NoteForm,
    PassRateForm,
    RetestForm,
)
from zhizao.sampling.models import EarlyWarning, NonConformityCase, SampledBatch, SamplingPlan

LIST_LIMIT = 200


def _user(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``login_required``."""
    assert isinstance(request.user, User)
    return request.user


def _city() -> Region:
    city = Region.objects.city()
    if city is None:
        raise Http404
    return city


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Pass rates of the city's batches, by domain, category, district, producer or year."""
    city = _city()
    form = PassRateForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    batches = SampledBatch.objects.filter(in_region(city, "region"))
    latest = batches.aggregate(last=Max("sampled_on"))["last"]
    year = data.get("year") or (latest.year if latest else None)
    grouping = data.get("by") or Grouping.DOMAIN
    if year and grouping != Grouping.YEAR:
        batches = batches.filter(sampled_on__year=year)
    if data.get("domain"):
        batches = batches.filter(plan__domain=data["domain"])
    context = {
        "city": city,
        "form": form,
        "year": year,
        "grouping": Grouping(grouping),
        "rows": services.pass_rates(batches, grouping),
    }
    if request.headers.get("HX-Request"):
        return render(request, "sampling/_partials/rate_table.html", context)
    return render(request, "sampling/index.html", context)


@login_required
@require_GET
def batches(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_batches(request.user):
        raise PermissionDenied
    form = BatchFilterForm(request.GET)
    rows: QuerySet[SampledBatch] = SampledBatch.objects.visible_to(request.user).select_related(
        "plan", "category", "producer", "region", "case"
    )
    if form.is_valid():
        rows = filter_batches(rows, form.cleaned_data)
    context = {
        "form": form,
        "chips": active_filters(form, request.GET),
        "batches": rows[:LIST_LIMIT],
        "limit": LIST_LIMIT,
    }
    if request.headers.get("HX-Request"):
        return render(request, "sampling/_partials/batch_table.html", context)
    return render(request, "sampling/batch_list.html", context)


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        SampledBatch.objects.visible_to(request.user).select_related(
            "plan", "category", "producer", "seller", "region", "lab__organization"
        ),
        pk=pk,
    )
    return render(
        request,
        "sampling/batch_detail.html",
        {
            "batch": batch,
            "items": batch.items.all(),
            "standards": batch.standards.select_related("standard"),
            "case": NonConformityCase.objects.filter(batch=batch).first(),
        },
    )


def _organization(code: str) -> Organization | None:
    return (
        Organization.objects.filter(credit_code=normalise_credit_code(code)).first()
        if code
        else None
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    plans = SamplingPlan.objects.visible_to(request.user).order_by("-year", "title")
    form = BatchForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        producer = _organization(data["producer_credit_code"])
        seller = _organization(data["seller_credit_code"])
        if producer is None:
            form.add_error(
                "producer_credit_code", _("No registered organization has this credit code.")
            )
        if data["seller_credit_code"] and seller is None:
            form.add_error(
                "seller_credit_code", _("No registered organization has this credit code.")
            )
        if not form.errors:
            batch_input = services.BatchInput(
                category=data["category"],
                producer=producer,
                seller=seller,
                product=data["product"],
                brand=data["brand"],
                specification=data["specification"],
                batch_number=data["batch_number"],
                sampled_on=data["sampled_on"],
                place=data["place"],
                region=data["district"],
                report_number=data["report_number"],
                standards=[
                    code for code in importing.SEPARATORS.split(data["standards"]) if code.strip()
                ],
                items=[
                    services.ItemInput(
                        name=data[f"item_{index}_name"],
                        value=data[f"item_{index}_value"],
                        limit=data[f"item_{index}_limit"],
                        unit=data[f"item_{index}_unit"],
                        verdict=data[f"item_{index}_verdict"],
                    )
                    for index in range(ITEM_ROWS)
                    if data[f"item_{index}_name"].strip()
                ],
            )
            try:
                batch = services.record_batch(_user(request), data["plan"], batch_input)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Batch %(report)s recorded: %(verdict)s.")
                    % {"report": batch.report_number, "verdict": batch.get_verdict_display()},
                )
                return redirect("sampling:batch_detail", pk=batch.pk)
    return render(request, "sampling/batch_new.html", {"form": form})


FORM_FIELD = {
    "producer": "producer_credit_code",
    "seller": "seller_credit_code",
    "region": "district",
}


def _errors_to_form(form: BatchForm, error: ValidationError) -> None:
    for key, messages_ in error.message_dict.items():
        parts = key.split(".")
        if parts[0] == "items" and len(parts) == 3:
            name = f"item_{parts[1]}_{parts[2]}"
        else:
            name = FORM_FIELD.get(parts[0], parts[0])
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    plans = SamplingPlan.objects.visible_to(request.user).order_by("-year", "title")
    form = ImportForm(request.POST or None, request.FILES or None, plans=plans)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            summary = importing.run(
                _user(request), form.cleaned_data["plan"], upload_file, upload_file.name
            )
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _("Imported %(n)d batches, %(failed)d of them non-conforming.")
                % {"n": len(summary.batches), "failed": summary.failed},
            )
            return redirect("sampling:upload")
    return render(
        request,
        "sampling/upload.html",
        {
            "form": form,
            "problems": problems,
            "headers": importing.template_headers(request.LANGUAGE_CODE),
        },
    )


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_batches(request.user):
        raise PermissionDenied
    form = CaseFilterForm(request.GET)
    rows: QuerySet[NonConformityCase] = NonConformityCase.objects.visible_to(
        request.user
    ).select_related("batch__producer", "batch__region")
    if form.is_valid():
        rows = filter_cases(rows, form.cleaned_data)
    return render(
        request,
        "sampling/case_list.html",
        {"form": form, "chips": active_filters(form, request.GET), "cases": rows[:LIST_LIMIT]},
    )


ACTIONS = {"notice", "request_retest", "retest", "rectify", "rectified", "follow_up", "close"}


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        NonConformityCase.objects.visible_to(request.user).select_related(
            "batch__plan",
            "batch__producer",
            "batch__seller",
            "batch__lab__organization",
            "follow_up_batch",
        ),
        pk=pk,
    )
    is_staff = staff_regions(request.user).filter(pk=case.batch.region_id).exists()
    note_form = NoteForm(request.POST or None)
    retest_form = RetestForm(request.POST or None)
    candidates = SampledBatch.objects.filter(
        producer=case.batch.producer, sampled_on__gte=case.batch.sampled_on
    ).exclude(pk=case.batch_id)
    follow_form = FollowUpForm(request.POST or None, batches=candidates)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        try:
            done = _act(request, case, action, note_form, retest_form, follow_form)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            if done:
                messages.success(
                    request, _("Saved: %(status)s.") % {"status": done.get_status_display()}
                )
                return redirect("sampling:case_detail", pk=pk)
    return render(
        request,
        "sampling/case_detail.html",
        {
            "case": case,
            "batch": case.batch,
            "is_staff": is_staff,
            "is_party": request.user.is_authenticated
            and services.is_party(_user(request), case.batch),
            "note_form": NoteForm(),
            "retest_form": retest_form if request.method == "POST" else RetestForm(),
            "follow_form": follow_form
            if request.method == "POST"
            else FollowUpForm(batches=candidates),
            "history": case.history.select_related("history_user").order_by("-history_date")[:20],
            "statuses": CaseStatus,
        },
    )


def _act(
    request: HttpRequest,
    case: NonConformityCase,
    action: str,
    note_form: NoteForm,
    retest_form: RetestForm,
    follow_form: FollowUpForm,
) -> NonConformityCase | None:
    user = request.user
    note = note_form.cleaned_data.get("note", "") if note_form.is_valid() else ""
    if action == "notice":
        return services.send_notice(user, case)  # type: ignore[arg-type]
    if action == "request_retest":
        return services.request_retest(user, case, note)  # type: ignore[arg-type]
    if action == "retest":
        if not retest_form.is_valid():
            return None
        return services.record_retest(user, case, **retest_form.cleaned_data)  # type: ignore[arg-type]
    if action == "rectify":
        return services.order_rectification(user, case)  # type: ignore[arg-type]
    if action == "rectified":
        return services.report_rectification(user, case, note)  # type: ignore[arg-type]
    if action == "follow_up":
        if not follow_form.is_valid():
            return None
        return services.record_follow_up(user, case, follow_form.cleaned_data["batch"])  # type: ignore[arg-type]
    return services.close_case(user, case, note)  # type: ignore[arg-type]


@login_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    rows = (
        SamplingPlan.objects.visible_to(request.user)
        .select_related("lab__organization", "region")
        .prefetch_related("categories")
        .annotate(
            sampled=Count("batches"),
            failed=Count("batches", filter=Q(batches__verdict="fail")),
        )
    )
    return render(request, "sampling/plan_list.html", {"plans": rows[:LIST_LIMIT]})


@login_required
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    rows = EarlyWarning.objects.filter(
        producer__region__in=staff_regions(request.user)
    ).select_related("producer__region")
    return render(request, "sampling/warnings.html", {"warnings": rows[:LIST_LIMIT]})
