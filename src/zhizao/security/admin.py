from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhizao.security.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    """Read-only: the log is append-only (its rows cannot be changed or deleted anywhere)."""

    list_display = ("seq", "at", "kind", "subject", "object", "result", "address")
    list_filter = ("kind", "result")
    search_fields = ("subject", "object")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
