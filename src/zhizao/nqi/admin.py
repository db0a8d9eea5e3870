"""Read-only admin of the quality-infrastructure records: every change goes through
``nqi.services`` (the pages, the API and the demo loader call them)."""

from __future__ import annotations

from django.contrib import admin

from zhizao.core.admin_base import ReadOnlyAdmin
from zhizao.nqi import models

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
