"""The permission matrix of the quality-infrastructure pages and API (docs/core.md)."""

from __future__ import annotations

from types import SimpleNamespace

from zhizao.core.testing import NOT_FOUND, Personas, operation, page
from zhizao.nqi import services
from zhizao.nqi.choices import Designation


def scenario(personas: Personas) -> SimpleNamespace:
    body = services.register_quality_body(
        personas.officer,
        {
            "organization": personas.provider_org,
            "designation": Designation.NATIONAL_INSPECTION_CENTRE,
            "turnaround_days": 5,
        },
    )
    request = services.file_request(personas.alice, "40 把扭力扳手线上审核前要校准")
    return SimpleNamespace(p=personas, body=body, request=request)


PERMISSIONS = [
    page("nqi:registers"),
    page("nqi:capability", query="q=GB/T%2019001"),
    page("nqi:catalogue", query="q=calibration"),
    page("nqi:dashboard"),
    page("nqi:body", kwargs=lambda s: {"pk": s.body.organization_id}),
    page("nqi:file_request", allow={"alice", "bob"}),
    page(
        "nqi:requests",
        allow={
            "officer",
            "district_officer",
            "alice",
            "bob",
            "tester",
            "provider",
            "assessor",
            "committee",
            "admin",
        },
    ),
    page(
        "nqi:request",
        kwargs=lambda s: {"pk": s.request.pk},
        allow={"officer", "district_officer", "alice", "admin"},
        deny=NOT_FOUND,
    ),
    operation("GET /api/v1/nqi/capability"),
    operation("GET /api/v1/nqi/onestop/search"),
]
