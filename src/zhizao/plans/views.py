"""Plans and department submissions pages. Views are thin: they read through the models'
``visible_to`` and call services (docs/plans.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhizao.core.actors import request_actor
from zhizao.core.choices import IndustryChain
from zhizao.core.downloads import serve_upload
from zhizao.core.models import Region
from zhizao.plans import importing, periods, permissions, services
from zhizao.plans.choices import SubmissionStatus
from zhizao.plans.forms import ImportForm, ProgressForm, ReviewForm, SubmissionEntryForm
from zhizao.plans.models import (
    DataSet,
    EvidenceDocument,
    Plan,
    ProgressReport,
    Submission,
    SubmissionValue,
    Task,
)


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _default_year(city: Region) -> int:
    """The latest year with an approved department submission, else last year."""
    latest = (
        Submission.objects.approved()
        .filter(data_set__department__region__path__startswith=city.path)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year - 1


def _year(request: HttpRequest, default: int) -> int:
    text = request.GET.get("year", "")
    if text.isdigit() and 1900 < int(text) < 2200:
        return int(text)
    return default


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("city").order_by("-start_year", "title")
    return render(request, "plans/plan_list.html", {"plans": plans})


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("city"), pk=pk)
    year = _year(request, _default_year(plan.city))
    standings = [services.target_standing(target, year) for target in plan.targets.all()]
    tasks = Task.objects.filter(action__plan=plan).select_related(
        "lead_department", "park", "action"
    )
    actions = plan.actions.prefetch_related(
        Prefetch(
            "tasks",
            queryset=tasks.prefetch_related(
                "supporting_departments",
                Prefetch(
                    "progress_reports",
                    queryset=ProgressReport.objects.order_by("-reported_at", "-pk"),
                ),
            ),
        )
    )
    today = timezone.localdate()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "year": year,
            "standings": standings,
            "actions": actions,
            "today": today,
            "by_department": _tasks_by(tasks, "lead_department__name"),
            "by_chain": [
                (IndustryChain(chain).label if chain else "", total, done)
                for chain, total, done in _tasks_by(tasks, "chain")
            ],
        },
    )


def _tasks_by(tasks: object, field: str) -> list[tuple[str, int, int]]:
    """(group, tasks, done) for each lead department or chain."""
    from django.db.models import Count, Q

    from zhizao.plans.choices import TaskStatus

    rows = (
        tasks.values(field)  # type: ignore[attr-defined]
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))
        .order_by(field)
    )
    return [(row[field], row["total"], row["done"]) for row in rows]


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related("action__plan", "lead_department"),
        pk=pk,
    )
    can_report = permissions.can_report_progress(request.user, task)
    form = ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied(_("Only the task's lead department may report its progress."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_progress(
                    request_actor(request),
                    task,
                    data["period"],
                    data["text"],
                    value=data["value"],
                    status=data["status"],
                    document=data["document"],
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Progress reported."))
                return redirect("plans:task", pk=task.pk)
    reports = ProgressReport.objects.filter(task=task).select_related("reported_by")
    return render(
        request,
        "plans/task_detail.html",
        {"task": task, "reports": reports, "form": form, "can_report": can_report},
    )


def _require_submissions(request: HttpRequest) -> None:
    if not permissions.can_use_submissions(request.user):
        raise PermissionDenied(_("Only departments and bureau staff use submissions."))


@login_required
@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    _require_submissions(request)
    user = request.user
    data_sets = list(
        DataSet.objects.visible_to(user).select_related("department").prefetch_related("elements")
    )
    submissions = Submission.objects.visible_to(user).select_related("data_set__department")
    today = timezone.localdate()
    due = []
    existing = {(row.data_set_id, row.period): row for row in submissions}
    for data_set in data_sets:
        for period in periods.ended_by(data_set.period_type, data_set.first_period, today)[-4:]:
            due.append((data_set, period, existing.get((data_set.pk, period.code))))
    return render(
        request,
        "plans/submission_list.html",
        {
            "submissions": submissions,
            "due": due,
            "today": today,
            "is_department": permissions.is_department_user(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_entry(request: HttpRequest, data_set_pk: int, period: str) -> HttpResponse:
    data_set = get_object_or_404(DataSet.objects.visible_to(request.user), pk=data_set_pk)
    if not permissions.can_enter(request.user, data_set):
        raise PermissionDenied(_("Only the data set's department may enter its figures."))
    try:
        parsed = periods.parse(data_set.period_type, period)
    except ValidationError as error:
        raise Http404(_messages_of(error)[0]) from error
    submission = Submission.objects.filter(data_set=data_set, period=parsed.code).first()
    if submission is not None and submission.status not in (
        SubmissionStatus.DRAFT,
        SubmissionStatus.RETURNED,
    ):
        return redirect("plans:submission", pk=submission.pk)
    elements = list(data_set.elements.select_related("compared_with"))
    form = SubmissionEntryForm(
        request.POST or None,
        request.FILES or None,
        submission=submission,
        elements=elements,
    )
    if request.method == "POST" and form.is_valid():
        actor = request_actor(request)
        try:
            submission = services.open_submission(actor, data_set, parsed.code)
            services.enter_values(actor, submission, form.entries())
            if form.cleaned_data.get("evidence"):
                services.add_evidence(actor, submission, form.cleaned_data["evidence"])
            if "submit" in request.POST:
                services.submit_submission(actor, submission)
                messages.success(request, _("Submitted to the bureau for review."))
                return redirect("plans:submission", pk=submission.pk)
            messages.success(request, _("Saved as a draft."))
            return redirect("plans:entry", data_set_pk=data_set.pk, period=parsed.code)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, messages_ in error.message_dict.items():
                    key = "evidence" if key == "file" else key  # add_evidence's field
                    target = key if key in form.fields else None
                    for message in messages_:
                        form.add_error(target, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
    evidence = submission.evidence.all() if submission is not None else []
    return render(
        request,
        "plans/submission_entry.html",
        {
            "data_set": data_set,
            "period": parsed,
            "submission": submission,
            "form": form,
            "evidence": evidence,
            "import_form": ImportForm(),
        },
    )


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(
            "data_set__department", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )
    values = SubmissionValue.objects.filter(submission=submission).select_related("element")
    return render(
        request,
        "plans/submission_detail.html",
        {
            "submission": submission,
            "values": values,
            "evidence": submission.evidence.all(),
            "history": submission.history.select_related("history_user").order_by("-history_date")[
                :20
            ],
            "can_review": permissions.can_review(request.user, submission.data_set),
            "can_enter": permissions.can_enter(request.user, submission.data_set),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("data_set__department"), pk=pk
    )
    if not permissions.can_review(request.user, submission.data_set):
        raise PermissionDenied(
            _("Only bureau staff of the department's region may review its submissions.")
        )
    form = ReviewForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    action = request.POST.get("action", "")
    actor = request_actor(request)
    try:
        if action == "approve":
            services.approve_submission(actor, submission)
            messages.success(request, _("Approved: the period is locked."))
        elif action == "return":
            services.return_submission(actor, submission, reason)
            messages.success(request, _("Returned to the department."))
        elif action == "unlock":
            services.unlock_submission(actor, submission, reason)
            messages.success(request, _("Unlocked: the department may correct the period."))
        else:
            messages.error(request, _("Choose approve, return or unlock."))
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    return redirect("plans:submission", pk=submission.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = get_object_or_404(EvidenceDocument.objects.select_related("submission"), pk=pk)
    if not permissions.can_view_submission(request.user, document.submission):
        raise Http404
    return serve_upload(
        document.file, filename=document.original_name, content_type="application/pdf"
    )


@login_required
@require_GET
def data_set_template(request: HttpRequest, pk: int) -> HttpResponse:
    data_set = get_object_or_404(DataSet.objects.visible_to(request.user), pk=pk)
    text = request.GET.get("period", "") or data_set.first_period
    try:
        period = periods.parse(data_set.period_type, text)
    except ValidationError as error:
        raise Http404(_messages_of(error)[0]) from error
    response = HttpResponse(
        importing.template(data_set, period.code),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dataset-{data_set.pk}-{period}.xlsx"'
    return response


@login_required
@require_POST
def data_set_import(request: HttpRequest, pk: int) -> HttpResponse:
    data_set = get_object_or_404(DataSet.objects.visible_to(request.user), pk=pk)
    if not permissions.can_enter(request.user, data_set):
        raise PermissionDenied(_("Only the data set's department may enter its figures."))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the filled-in template to import."))
        return redirect("plans:submissions")
    try:
        imported = importing.import_submissions(
            request_actor(request), data_set, form.cleaned_data["file"]
        )
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect("plans:submissions")
    messages.success(
        request,
        _("Imported %(count)d period(s); attach the evidence and submit each.")
        % {"count": len(imported)},
    )
    first = imported[0]
    return redirect("plans:entry", data_set_pk=data_set.pk, period=first.period)


@login_required
@require_GET
def completeness(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_completeness(request.user):
        raise PermissionDenied(_("Only bureau staff see the departments' completeness."))
    city = Region.objects.city()
    year = _year(request, _default_year(city) if city else timezone.localdate().year - 1)
    rows = services.completeness(request_actor(request), year)
    return render(request, "plans/completeness.html", {"rows": rows, "year": year})
