"""Award pages. Views are thin: check the request, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhizao.awards import filters, forms, permissions, services, tallies
from zhizao.awards.choices import (
    SCORING_BAND_SUMMARIES,
    STAGE_STATUS,
    NoticeKind,
    ReviewStage,
    Status,
)
from zhizao.awards.models import (
    Application,
    Attachment,
    AwardEdition,
    AwardProgramme,
    AwardResult,
    Objection,
    PublicNotice,
)
from zhizao.awards.scoring import (
    assignment_warnings,
    consensus_view,
    decision_outcomes,
    edition_ranking,
    eligibility_problems,
)
from zhizao.core.actors import request_actor
from zhizao.core.choices import Role
from zhizao.core.downloads import serve_upload
from zhizao.core.filters import active_filters
from zhizao.core.models import Region, User
from zhizao.core.permissions import is_staff_user
from zhizao.indicators import excellence


def _with_hidden_names(
    user: User | AnonymousUser, applications: list[Application]
) -> list[tuple[Application, bool]]:
    """Each application with whether a blind review hides its applicant (one query)."""
    hidden = permissions.hidden_applicants(user, applications)
    return [(app, app.pk in hidden) for app in applications]


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_GET
def tallies_page(request: HttpRequest) -> HttpResponse:
    """Public: the city's cumulative tallies, the ranking of cities and the published results."""
    city = Region.objects.city()
    programmes = list(AwardProgramme.objects.all())
    rows = tallies.city_tallies(city) if city else []
    ranked = tallies.city_rankings()
    rankings = [(programme, ranked.get(programme.pk, [])) for programme in programmes]
    results = (
        AwardResult.objects.standing()
        .filter(city=city)
        .select_related("edition__programme", "organization")
        .order_by("-edition__programme__rank", "edition__number", "category", "name_as_awarded")
    )
    return render(
        request,
        "awards/tallies.html",
        {"city": city, "rows": rows, "rankings": rankings, "results": results},
    )


@require_GET
def edition_list(request: HttpRequest) -> HttpResponse:
    """Every edition, filtered by programme, year and state; the htmx request gets the table."""
    form = forms.EditionFilterForm(request.GET)
    editions = AwardEdition.objects.select_related("programme").order_by(
        "-programme__rank", "-number"
    )
    if form.is_valid():
        editions = filters.filter_editions(editions, form.cleaned_data, timezone.now())
    context = {
        "form": form,
        "editions": editions,
        "chips": active_filters(form, request.GET),
        "is_staff": is_staff_user(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "awards/_partials/edition_table.html", context)
    return render(request, "awards/edition_list.html", context)


@require_http_methods(["GET", "POST"])
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(AwardEdition.objects.select_related("programme"), pk=pk)
    user = request.user
    staff = is_staff_user(user)
    administers = permissions.can_administer_programme(user, edition.programme)
    form = forms.EditionForm(request.POST or None, instance=edition) if administers else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_edition(
                    request_actor(request), edition, {f: form.cleaned_data[f] for f in form.fields}
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("The edition was saved."))
                return redirect("awards:edition_detail", pk=edition.pk)
    results = (
        permissions.results_visible_to(user)
        .filter(edition=edition)
        .select_related("organization", "city")
    )
    applications = (
        permissions.applications_visible_to(user)
        .filter(edition=edition)
        .select_related("organization")
        .prefetch_related("consensus_scores")
    )
    ranking = (
        edition_ranking(applications)
        if staff or (user.is_authenticated and user.role == Role.COMMITTEE)
        else []
    )
    return render(
        request,
        "awards/edition_detail.html",
        {
            "edition": edition,
            "results": results,
            "applications": _with_hidden_names(user, list(applications))
            if user.is_authenticated
            else [],
            "ranking": ranking,
            "form": form,
            "can_apply": user.is_authenticated
            and user.role == Role.ENTERPRISE
            and not edition.is_historic
            and edition.is_open(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_create(request: HttpRequest) -> HttpResponse:
    """Staff open a new edition of a programme (number, dates, quotas, eligibility rules,
    objection window, blind review, feedback release)."""
    user = request_actor(request)
    administered = permissions.programmes_administered_by(user)
    if not administered.exists():
        # A district officer administers no award level: nothing to open here.
        raise PermissionDenied(_("Only bureau staff may do this."))
    initial: dict[str, Any] = {}
    programme_pk = request.GET.get("programme", "")
    programme = (
        AwardProgramme.objects.filter(pk=int(programme_pk)).first()
        if programme_pk.isdigit()
        else None
    )
    if programme is not None:
        last = programme.editions.order_by("-number").first()
        initial = {
            "programme": programme,
            "number": last.number + 1 if last else 1,
            "objection_days": last.objection_days if last else 7,
        }
    form = forms.EditionCreateForm(request.POST or None, initial=initial)
    form.fields["programme"].queryset = administered  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "programme"}
        try:
            edition = services.create_edition(user, form.cleaned_data["programme"], data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The edition %s was created.") % edition)
            return redirect("awards:edition_detail", pk=edition.pk)
    return render(request, "awards/edition_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, edition_pk: int) -> HttpResponse:
    edition = get_object_or_404(AwardEdition, pk=edition_pk)
    user = request_actor(request)
    if user.role != Role.ENTERPRISE:
        # The service refuses them too: no form they could never submit.
        raise PermissionDenied(_("Only an enterprise user may apply for an award."))
    form = forms.ApplicationForm(request.POST or None, organization=user.organization)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                user,
                edition,
                category=form.cleaned_data["category"],
                nominee=form.cleaned_data["nominee"],
                established_on=form.cleaned_data["established_on"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("awards:application_detail", pk=application.pk)
    return render(request, "awards/application_form.html", {"edition": edition, "form": form})


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications this user may see, filtered by number, programme, edition, status and
    year; the htmx request gets the table."""
    user = request_actor(request)
    form = forms.ApplicationFilterForm(request.GET)
    queryset = permissions.applications_visible_to(user).select_related(
        "edition__programme", "organization"
    )
    if form.is_valid():
        queryset = filters.filter_applications(queryset, form.cleaned_data)
    context = {
        "form": form,
        "rows": _with_hidden_names(user, list(queryset.order_by("-created_at"))),
        "chips": active_filters(form, request.GET),
    }
    if request.headers.get("HX-Request"):
        return render(request, "awards/_partials/application_table.html", context)
    return render(request, "awards/application_list.html", context)


def _visible_application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related(
            "edition__programme", "organization__region", "nominee", "notice"
        ),
        pk=pk,
    )
    if not permissions.can_view_application(request.user, application):
        raise Http404
    return application


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_actor(request)
    application = _visible_application(request, pk)
    manage = permissions.can_manage_application(user, application)
    applicant = permissions.is_applicant(user, application)
    assignments = list(application.assignments.select_related("assessor"))
    own_assignments = [a for a in assignments if a.assessor_id == user.pk]
    current_stage = next(
        (stage for stage, status in STAGE_STATUS.items() if status == application.status), None
    )
    context: dict[str, Any] = {
        "application": application,
        "hide_name": permissions.hides_applicant(user, application),
        "manage": manage,
        "applicant": applicant,
        "editable": applicant and application.status == Status.DRAFT,
        "moves": services.moves(user, application),
        "can_decide": services.can_decide(user, application),
        "history": [
            (move, permissions.transition_actor_label(user, move))
            for move in application.transitions.select_related("actor")
        ],
        "assignment_warnings": assignment_warnings(application) if manage else [],
        "self_assessments": application.self_assessments.all(),
        "attachments": application.attachments.all(),
        "assignments": assignments if (manage or own_assignments) else [],
        "own_assignments": own_assignments,
        "current_stage": current_stage,
        "can_view_scores": permissions.can_view_scores(user, application),
        "can_view_attachments": permissions.can_view_attachment(user, application),
        "is_committee": user.role == Role.COMMITTEE,
        "objections": application.objections.all() if manage else [],
        "feedback_entries": application.feedback_entries.all() if manage else [],
        "can_download_feedback": permissions.can_download_feedback(user, application),
        "feedback_release_on": application.edition.feedback_release_on,
        "eligibility_problems": eligibility_problems(application)
        if manage and application.status == Status.ELIGIBILITY_REVIEW
        else [],
        "declaration_form": forms.DeclarationForm(
            initial={
                "declaration_accepted": application.declaration_accepted,
                "declared_no_incident": application.declared_no_incident,
            }
        ),
        "self_assessment_form": forms.SelfAssessmentForm(),
        "attachment_form": forms.AttachmentForm(),
        "eligibility_form": forms.EligibilityForm(),
        "assign_form": forms.AssignForm(),
        "decision_form": forms.DecisionForm(outcomes=decision_outcomes(application)),
        "objection_form": forms.ObjectionForm(),
        "feedback_form": forms.FeedbackForm(),
    }
    return render(request, "awards/application_detail.html", context)


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every change posted from the application page goes to one service call here."""
    user = request_actor(request)
    application = _visible_application(request, pk)
    post = request.POST
    try:
        if action == "transition":
            target = post.get("to_status", "")
            if target not in Status.values:
                raise ValidationError(_("Unknown status."))
            services.transition(user, application, target, post.get("reason", ""))
            messages.success(request, _("The application is now at “%s”.") % Status(target).label)
        elif action == "declaration":
            form = forms.DeclarationForm(post)
            form.is_valid()
            services.update_application(user, application, form.cleaned_data)
            messages.success(request, _("The declaration was saved."))
        elif action == "self_assessment":
            sa_form = forms.SelfAssessmentForm(post)
            if not sa_form.is_valid():
                raise ValidationError(sa_form.errors.get_json_data())
            services.save_self_assessment(
                user,
                application,
                sa_form.cleaned_data["item_code"],
                sa_form.cleaned_data["narrative"],
                sa_form.cleaned_data["results_data"],
            )
            messages.success(request, _("The self-assessment was saved."))
        elif action == "attachment":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError({"file": [_("Choose a PDF file.")]})
            services.add_attachment(user, application, upload)
            messages.success(request, _("The attachment was uploaded."))
        elif action == "eligibility":
            el_form = forms.EligibilityForm(post)
            if not el_form.is_valid():
                raise ValidationError(_("Choose passed or failed."))
            services.record_eligibility_check(
                user,
                application,
                passed=el_form.cleaned_data["passed"],
                note=el_form.cleaned_data["note"],
            )
            messages.success(request, _("The eligibility check was recorded."))
        elif action == "assign":
            as_form = forms.AssignForm(post)
            if not as_form.is_valid():
                raise ValidationError(_("Choose an assessor and a stage."))
            services.assign_assessor(
                user, application, as_form.cleaned_data["assessor"], as_form.cleaned_data["stage"]
            )
            messages.success(
                request,
                _("%s was assigned.") % as_form.cleaned_data["assessor"].get_username(),
            )
            for warning in assignment_warnings(
                application, assessor=as_form.cleaned_data["assessor"]
            ):
                messages.warning(request, warning)
        elif action == "decide":
            d_form = forms.DecisionForm(post)
            if not d_form.is_valid():
                raise ValidationError(_("Choose an outcome."))
            services.decide(
                user, application, d_form.cleaned_data["outcome"], d_form.cleaned_data["reason"]
            )
            messages.success(request, _("The committee's decision was recorded."))
        elif action == "objection":
            services.record_objection(user, application, post.get("text", ""))
            messages.success(request, _("The objection was recorded."))
        elif action == "resolve_objection":
            objection = get_object_or_404(
                Objection, pk=post.get("objection"), application=application
            )
            services.resolve_objection(
                user,
                objection,
                upheld=post.get("upheld") == "1",
                resolution=post.get("resolution", ""),
            )
            messages.success(request, _("The objection was resolved."))
        elif action == "feedback":
            f_form = forms.FeedbackForm(post)
            if not f_form.is_valid():
                raise ValidationError(_("Fill in the category, strengths and opportunities."))
            services.save_feedback(user, application, **f_form.cleaned_data)
            messages.success(request, _("The feedback was saved."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    return redirect("awards:application_detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def scoring(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The assessor's scoring form: one rating (5% steps) and a comment per GB/T 19580 item."""
    user = request_actor(request)
    application = _visible_application(request, pk)
    if stage not in ReviewStage.values:
        raise Http404
    assignment = application.assignments.filter(assessor=user, stage=stage).first()
    if assignment is None or not permissions.is_assigned(user, application, stage):
        raise PermissionDenied(_("You are not assigned to this stage of this application."))
    if request.method == "POST":
        ratings, errors = forms.ratings_from_post(request.POST)
        try:
            if errors:
                raise ValidationError(errors)
            services.record_scores(user, assignment, ratings)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("awards:consensus", pk=application.pk, stage=stage)
    existing = {score.item_code: score for score in assignment.scores.all()}
    items = [
        {
            "item": item,
            "dimensions": "A-D-L-I" if item.kind == excellence.ItemKind.PROCESS else "Le-T-C-I",
            "score": existing.get(item.code),
        }
        for item in excellence.GBT19580_2012_ITEMS
    ]
    return render(
        request,
        "awards/scoring.html",
        {
            "application": application,
            "stage": ReviewStage(stage),
            "items": items,
            "ratings": forms.RATING_CHOICES,
            "bands": [
                (band, SCORING_BAND_SUMMARIES[band.number]) for band in excellence.SCORING_BANDS
            ],
            "hide_name": permissions.hides_applicant(user, application, stage),
            "editable": application.status == STAGE_STATUS[ReviewStage(stage)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consensus(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Per-item mean and spread with >20 pp flags, and the consensus scores form."""
    user = request_actor(request)
    application = _visible_application(request, pk)
    if stage not in ReviewStage.values:
        raise Http404
    if not permissions.can_view_scores(user, application):
        raise PermissionDenied
    if request.method == "POST":
        ratings, errors = forms.ratings_from_post(request.POST)
        try:
            if errors:
                raise ValidationError(errors)
            services.record_consensus(user, application, stage, ratings)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The consensus scores were saved."))
        return redirect("awards:consensus", pk=application.pk, stage=stage)
    hide = permissions.hides_applicant(user, application, stage)
    view = consensus_view(application, stage)
    return render(
        request,
        "awards/consensus.html",
        {
            "application": application,
            "stage": ReviewStage(stage),
            "view": view,
            "ratings": forms.RATING_CHOICES,
            "hide_name": hide,
            "threshold": excellence.CONSENSUS_SPREAD_PP,
            "editable": application.status == STAGE_STATUS[ReviewStage(stage)]
            and (
                permissions.is_assigned(user, application, stage)
                or permissions.can_manage_application(user, application)
            ),
        },
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not permissions.can_view_attachment(request.user, attachment.application):
        raise Http404
    return serve_upload(
        attachment.file, filename=attachment.original_name, content_type="application/pdf"
    )


@login_required
@require_GET
def feedback_download(request: HttpRequest, pk: int) -> HttpResponse:
    from zhizao.awards.reports import feedback_pdf

    application = _visible_application(request, pk)
    if not permissions.can_download_feedback(request.user, application):
        release = application.edition.feedback_release_on
        raise PermissionDenied(
            _("The feedback report is released on %s.") % release
            if release
            else _("The feedback report has not been released.")
        )
    response = HttpResponse(feedback_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="feedback-{application.code}.pdf"'
    return response


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = PublicNotice.objects.select_related("edition__programme").prefetch_related(
        Prefetch("applications", queryset=Application.objects.select_related("organization"))
    )
    return render(request, "awards/notice_list.html", {"notices": notices})


@require_http_methods(["GET", "POST"])
def notice_objection(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: anyone may object to a pre-award notice (公示) while its window is open."""
    notice = get_object_or_404(
        PublicNotice.objects.select_related("edition__programme"),
        pk=pk,
        kind=NoticeKind.PRE_AWARD,
    )
    window_open = notice.objections_open()
    form = forms.PublicObjectionForm(request.POST or None, notice=notice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.file_public_objection(
                data["application"],
                objector_name=data["objector_name"],
                objector_contact=data["objector_contact"],
                text=data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your objection was received. Staff will review it before the award.")
            )
            return redirect(f"{reverse('awards:notices')}#notice-{notice.pk}")
    return render(
        request,
        "awards/objection_form.html",
        {"notice": notice, "form": form, "window_open": window_open},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(AwardResult, pk=pk)
    form = forms.RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for the revocation."))
        services.revoke_result(request_actor(request), result, form.cleaned_data["reason"])
        messages.success(request, _("The award was revoked and a notice published."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(reverse("awards:edition_detail", args=[result.edition_id]))
