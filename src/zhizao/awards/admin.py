"""Staff console for the award records.

Every change of state that has a service stays with the service: the award cycle (status,
transitions, proposed outcome, notice), assessor assignments (conflict-of-interest rules),
scores, publishing and revoking results, resolving objections and closing validity reviews. Those
fields are read-only here; publishing has an admin action that calls the service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from zhizao.awards import services
from zhizao.awards.models import (
    Application,
    AssessorAssignment,
    Attachment,
    AwardEdition,
    AwardProgramme,
    AwardResult,
    ConflictDeclaration,
    ConsensusScore,
    FeedbackEntry,
    Objection,
    PublicNotice,
    Score,
    SelfAssessment,
    Transition,
    ValidityReview,
)
from zhizao.core.actors import request_actor
from zhizao.core.admin_base import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, all_fields
from zhizao.core.models import User

# --- Programmes and editions ------------------------------------------------------------------


class EditionInline(admin.TabularInline[AwardEdition, AwardProgramme]):
    model = AwardEdition
    fields = ("number", "year", "submission_deadline", "award_quota", "is_historic")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "level", "region", "validity_years", "rank")
    list_filter = ("level",)
    search_fields = ("name", "name_en", "code")
    list_select_related = ("region",)
    raw_id_fields = ("region",)
    inlines = (EditionInline,)


@admin.register(AwardEdition)
class AwardEditionAdmin(ServiceAdmin):
    """Editions are opened and edited through ``services.create_edition`` and
    ``services.update_edition`` (the programme's bureau, the dates' and quotas' rules); the
    programme, number and year of an edition stay as it was opened."""

    list_display = (
        "__str__",
        "programme",
        "number",
        "year",
        "submission_deadline",
        "award_quota",
        "nomination_quota",
        "blind_material_review",
        "is_historic",
    )
    list_filter = ("programme", "is_historic", "blind_material_review")
    search_fields = ("programme__name", "source")
    list_select_related = ("programme",)
    fields = (
        "programme",
        "number",
        "year",
        "opens_at",
        "submission_deadline",
        "announced_on",
        "award_quota",
        "nomination_quota",
        "min_years_in_operation",
        "incident_free_years",
        "objection_days",
        "blind_material_review",
        "feedback_release_on",
        "is_historic",
        "source",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        opened = ("programme", "number", "year") if obj is not None else ()
        return (*opened, "is_historic", "source")  # historic editions come from the demo loader

    def create_through_service(self, actor: User, data: dict[str, Any]) -> AwardEdition:
        programme = data.pop("programme")
        return services.create_edition(actor, programme, data)

    def update_through_service(
        self, actor: User, obj: AwardEdition, data: dict[str, Any]
    ) -> AwardEdition:
        return services.update_edition(actor, obj, data)


# --- Applications -----------------------------------------------------------------------------


class SelfAssessmentInline(ReadOnlyInline):
    model = SelfAssessment
    fields = ("item_code", "narrative", "results_data")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "size", "sha256", "uploaded_by", "uploaded_at")


class AssignmentInline(ReadOnlyInline):
    model = AssessorAssignment
    fields = ("assessor", "stage", "assigned_by", "assigned_at")
    show_change_link = True  # the assignment's page lists its scores


class ConsensusInline(ReadOnlyInline):
    model = ConsensusScore
    fields = ("stage", "item_code", "percent", "comment", "recorded_by", "recorded_at")


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ("from_status", "to_status", "actor", "role", "reason", "at")


class ObjectionInline(ReadOnlyInline):
    model = Objection
    fields = ("received_at", "objector_name", "objector_contact", "text", "status", "resolution")
    show_change_link = True


class FeedbackInline(ReadOnlyInline):
    model = FeedbackEntry
    fields = ("category_code", "strengths", "opportunities")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only: applications move only through the award cycle's services."""

    list_display = (
        "code",
        "organization",
        "nominee",
        "edition",
        "category",
        "status",
        "submitted_at",
    )
    list_filter = ("status", "category", "edition__programme")
    search_fields = ("organization__name", "nominee__name", "reference")
    list_select_related = ("organization", "nominee", "edition__programme")
    inlines = (
        SelfAssessmentInline,
        AttachmentInline,
        AssignmentInline,
        ConsensusInline,
        TransitionInline,
        ObjectionInline,
        FeedbackInline,
    )


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ("item_code", "percent", "comment", "scored_at")


@admin.register(AssessorAssignment)
class AssessorAssignmentAdmin(ReadOnlyAdmin):
    """Assignments are made by ``services.assign_assessor`` (conflict-of-interest rules)."""

    list_display = ("application", "assessor", "stage", "assigned_by", "assigned_at")
    list_filter = ("stage",)
    search_fields = ("application__organization__name", "assessor__username")
    list_select_related = ("application__organization", "assessor", "assigned_by")
    inlines = (ScoreInline,)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("assessor", "organization", "reason", "declared_at")
    search_fields = ("assessor__username", "organization__name")
    list_select_related = ("assessor", "organization")


# --- Notices, objections, results, validity reviews -------------------------------------------


@admin.register(PublicNotice)
class PublicNoticeAdmin(SimpleHistoryAdmin):
    """Notices are published by the committee's decision and by revocations; only the wording
    may be corrected here (the objection window is not editable)."""

    list_display = ("title", "edition", "kind", "published_at", "objection_ends_at")
    list_filter = ("kind", "edition__programme")
    search_fields = ("title", "body")
    list_select_related = ("edition__programme",)
    readonly_fields = ("edition", "kind", "published_at", "objection_ends_at", "published_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    """Objections are filed on the public form or recorded by staff, and resolved on the
    application's page (``services.resolve_objection``)."""

    list_display = (
        "application",
        "objector_name",
        "received_at",
        "status",
        "recorded_by",
    )
    list_filter = ("status",)
    search_fields = ("text", "objector_name", "application__organization__name")
    list_select_related = ("application__organization", "recorded_by")


@admin.action(description=_("Publish the selected results"))
def publish_results(
    modeladmin: AwardResultAdmin, request: HttpRequest, queryset: QuerySet[AwardResult]
) -> None:
    actor = request_actor(request)
    published = 0
    for result in queryset.filter(published_at__isnull=True).select_related("edition"):
        try:
            services.publish_result(actor, result)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(request, f"{result}: {error}", messages.ERROR)
        else:
            published += 1
    modeladmin.message_user(
        request,
        ngettext("%d result was published.", "%d results were published.", published) % published,
        messages.SUCCESS,
    )


@admin.register(AwardResult)
class AwardResultAdmin(ServiceAdmin):
    """A result from a published list is added through ``services.record_historic_result``
    (unpublished); publishing goes through ``services.publish_result`` (the action below, which
    feeds the honours registry) and revoking through ``services.revoke_result`` (with its
    public notice). A recorded result is read-only here."""

    list_display = (
        "name_as_awarded",
        "edition",
        "outcome",
        "category",
        "city",
        "published_at",
        "revoked_at",
        "is_synthetic",
    )
    list_filter = ("outcome", "category", "edition__programme", "is_synthetic")
    search_fields = ("name_as_awarded", "organization__name", "person__name")
    list_select_related = ("edition__programme", "city")
    raw_id_fields = ("organization", "person", "city")
    actions = (publish_results,)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return all_fields(AwardResult)
        return (
            "edition",
            "category",
            "outcome",
            "name_as_awarded",
            "holder_title",
            "organization",
            "person",
            "city",
            "is_synthetic",
            "source",
        )

    def create_through_service(self, actor: User, data: dict[str, Any]) -> AwardResult:
        return services.record_historic_result(actor, data.pop("edition"), **data, publish=False)


@admin.register(ValidityReview)
class ValidityReviewAdmin(ReadOnlyAdmin):
    """Reviews are opened and closed by services (closing as revoked revokes the award)."""

    list_display = ("result", "trigger", "outcome", "opened_at", "closed_at")
    list_filter = ("trigger", "outcome")
    search_fields = ("result__name_as_awarded", "note")
    list_select_related = ("result__edition__programme",)
