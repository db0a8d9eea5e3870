"""Staff console for the standards registry. An edition is registered and corrected through
``services.create_standard`` and ``services.update_standard`` (the code is parsed and
normalised; its parts, level, body, kind, number, part and year, follow from it and are
read-only). Supersession, withdrawal and drafters have their own services: read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhizao.core.admin_base import ReadOnlyInline, ServiceAdmin
from zhizao.core.models import User
from zhizao.standards import services
from zhizao.standards.models import CODE_PARTS, Standard, StandardDrafter


class StandardDrafterInline(ReadOnlyInline):
    """Set by ``services.set_drafter`` / ``remove_drafter``."""

    model = StandardDrafter


@admin.register(Standard)
class StandardAdmin(ServiceAdmin):
    list_display = ("code", "title", "level", "status", "published_on", "implemented_on")
    list_filter = ("level", "kind", "status", "revision", "is_synthetic")
    search_fields = ("code", "code_key", "title", "title_en", "drafting_organizations")
    inlines = (StandardDrafterInline,)
    fields = (
        "code",
        "title",
        "title_en",
        "published_on",
        "implemented_on",
        "revision",
        "drafting_organizations",
        "is_synthetic",
    )
    derived = (
        *CODE_PARTS,
        "status",
        "superseded_by",
        "withdrawn_on",
        "created_by",
        "created_at",
        "updated_at",
    )

    def get_fields(self, request: HttpRequest, obj: Standard | None = None) -> Any:
        return (*self.fields, *self.derived) if obj is not None else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Standard | None = None) -> Any:
        return self.derived if obj is not None else ()

    def create_through_service(self, actor: User, data: dict[str, Any]) -> Standard:
        return services.create_standard(actor, data)

    def update_through_service(self, actor: User, obj: Standard, data: dict[str, Any]) -> Standard:
        return services.update_standard(actor, obj, data)
