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
from zhizao.core.models import User


def _all_fields(model: Any) -> tuple[str, ...]:
    return tuple(field.name for field in model._meta.concrete_fields)


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    """An inline that shows records made by services; nothing is added, changed or deleted."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or _all_fields(self.model)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """A model whose records change only through services: view and history only."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return _all_fields(self.model)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
class AwardEditionAdmin(SimpleHistoryAdmin):
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
    actor = request.user
    assert isinstance(actor, User)
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
class AwardResultAdmin(SimpleHistoryAdmin):
    """Publishing goes through ``services.publish_result`` (which feeds the honours registry)
    and revoking through ``services.revoke_result`` (with its public notice)."""

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
    readonly_fields = (
        "application",
        "published_at",
        "revoked_at",
        "revocation_reason",
        "revocation_notice",
    )
    actions = (publish_results,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.published_at is not None:
            return _all_fields(AwardResult)  # published: the registry holds it as it was
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ValidityReview)
class ValidityReviewAdmin(SimpleHistoryAdmin):
    """Reviews are opened and closed by services (closing as revoked revokes the award)."""

    list_display = ("result", "trigger", "outcome", "opened_at", "closed_at")
    list_filter = ("trigger", "outcome")
    search_fields = ("result__name_as_awarded", "note")
    list_select_related = ("result__edition__programme",)
    readonly_fields = ("result", "trigger", "outcome", "opened_by", "opened_at", "closed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
