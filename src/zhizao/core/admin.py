from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from zhizao.core import services
from zhizao.core.actors import request_actor
from zhizao.core.admin_base import ReadOnlyMixin, ServiceAdmin
from zhizao.core.models import (
    ApiToken,
    DemoDataset,
    MessageDelivery,
    MessageTemplate,
    Notification,
    Organization,
    Person,
    Region,
    User,
)

admin.site.site_header = _("Zhizao staff console")
admin.site.site_title = _("Zhizao")


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "name_en", "code")


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    """Through ``services.create_organization``, ``update_organization`` and
    ``delete_organization`` (region rules, a changed group re-checks conflicts of interest)."""

    fields = services.ORGANIZATION_FIELDS
    list_display = ("name", "credit_code", "kind", "region", "industry_chain", "is_synthetic")
    list_filter = ("kind", "industry_chain", "is_synthetic")
    search_fields = ("name", "name_en", "credit_code")
    list_select_related = ("region",)
    raw_id_fields = ("parent",)

    def create_through_service(self, actor: User, data: dict[str, Any]) -> Organization:
        return services.create_organization(actor, data)

    def update_through_service(
        self, actor: User, obj: Organization, data: dict[str, Any]
    ) -> Organization:
        return services.update_organization(actor, obj, data)

    def delete_through_service(self, actor: User, obj: Organization) -> None:
        services.delete_organization(actor, obj)


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    """Through ``services.save_person`` (a changed organization re-checks conflicts of
    interest)."""

    list_display = ("name", "organization", "title")
    search_fields = ("name", "name_en")
    list_select_related = ("organization",)

    def create_through_service(self, actor: User, data: dict[str, Any]) -> Person:
        return services.save_person(actor, Person(), data)

    def update_through_service(self, actor: User, obj: Person, data: dict[str, Any]) -> Person:
        return services.save_person(actor, obj, data)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "role", "region", "organization", "is_active", "is_superuser")
    list_filter = ("role", "is_active", "is_superuser")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Zhizao"),
            {"fields": ("role", "region", "organization", "person", "phone", "language")},
        ),
    )

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A new organization or person record can make an assessor conflicted (awards).
        if change and {"organization", "person"} & set(form.changed_data):
            services.affiliation_changed(
                request.user,
                organizations={obj.organization_id} if obj.organization_id else set(),
                people={obj.person_id} if obj.person_id else set(),
            )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("code", "description", "subject_zh", "subject_en")
    search_fields = ("code", "subject_zh", "subject_en")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The in-app inbox, read-only: rows are written by ``notify``."""

    list_display = ("subject", "recipient", "channel", "created_at", "read_at")
    list_filter = ("channel",)
    list_select_related = ("recipient",)


@admin.register(MessageDelivery)
class MessageDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The delivery log, read-only: rows are written by ``notify`` and the task worker."""

    list_display = (
        "subject",
        "recipient",
        "channel",
        "address",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("subject", "address", "recipient__username")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"


@admin.action(description=_("Revoke the selected tokens"))
def revoke_tokens(
    modeladmin: ApiTokenAdmin, request: HttpRequest, queryset: QuerySet[ApiToken]
) -> None:
    actor = request_actor(request)
    for token in queryset.filter(revoked_at__isnull=True):
        services.revoke_api_token(actor, token)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: tokens are issued by ``services.issue_api_token`` (the raw key is shown once,
    only its hash is kept) and revoked by ``services.revoke_api_token`` (the action)."""

    actions = (revoke_tokens,)

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")


admin.site.register(DemoDataset)
