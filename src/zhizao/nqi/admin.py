"""Read-only admin of the quality-infrastructure records: every change goes through
``nqi.services`` (the pages, the API and the demo loader call them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from zhizao.nqi import models


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model in (
    models.TechnicalCommittee,
    models.InnovationBase,
    models.StandardizationPilot,
    models.RewardGrant,
    models.StandardAward,
    models.QualityBody,
    models.Accreditation,
    models.ScopeLine,
    models.ServiceOffering,
    models.OfferingProvider,
    models.OneStopPilot,
    models.ServiceRequest,
):
    admin.site.register(model, ReadOnlyAdmin)
