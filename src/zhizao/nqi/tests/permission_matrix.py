"""The permission matrix of the quality-infrastructure pages and API (docs/core.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from zhizao.core.testing import (
    CREATED,
    FORBIDDEN,
    LOGGED_IN,
    NOT_FOUND,
    REDIRECT,
    STAFF,
    Personas,
    operation,
    page,
)
from zhizao.nqi import services
from zhizao.nqi.choices import BodyLevel, CommitteeKind, Designation, Element, PilotKind, Stage
from zhizao.nqi.models import OneStopPilot

# Who sees a request of alice's enterprise (天元区) that is not routed yet: staff of the city
# and of 天元区, alice and the superuser; everyone else gets a 404. Once routed, its provider.
SEES_FILED = {"officer", "district_officer", "alice", "admin"}
SEES_ROUTED = SEES_FILED | {"provider"}


def scenario(personas: Personas) -> SimpleNamespace:
    body = services.register_quality_body(
        personas.officer,
        {
            "organization": personas.provider_org,
            "designation": Designation.NATIONAL_INSPECTION_CENTRE,
            "turnaround_days": 5,
        },
    )
    pilot = OneStopPilot.objects.create(
        name="矩阵试点", name_en="Matrix pilot", kind=PilotKind.ZONE, region=personas.tianyuan,
        city=personas.city,
    )  # fmt: skip
    offering = services.create_offering(
        personas.officer,
        {"title": "计量器具校准", "title_en": "Calibration", "description": "校准",
         "description_en": "calibration", "element": Element.METROLOGY, "stage": Stage.PRODUCTION},
        [{"provider": personas.provider_org, "price_min": Decimal(100),
          "price_max": Decimal(300), "promised_days": 5}],
    )  # fmt: skip
    text = "40 把扭力扳手线上审核前要校准"
    request = services.file_request(personas.alice, text)
    steps = {}
    for state in ("routed", "accepted", "quoted", "delivered", "closed"):
        item = services.file_request(personas.alice, text)
        item = services.route_request(personas.officer, item, offering, personas.provider_org)
        if state != "routed":
            item = services.accept_request(personas.provider, item)
        if state in ("quoted", "delivered", "closed"):
            item = services.quote_request(personas.provider, item, Decimal("200.00"))
        if state in ("delivered", "closed"):
            item = services.deliver_request(personas.provider, item, "报告 ZZ-1")
        if state == "closed":
            item = services.close_request(personas.provider, item)
        steps[state] = item
    committee = services.create_committee(
        personas.officer,
        {"number": "SAC/TC 900", "name": "矩阵委员会", "kind": CommitteeKind.TECHNICAL_COMMITTEE,
         "level": BodyLevel.NATIONAL, "secretariat": personas.org_a},
    )  # fmt: skip
    project = services.create_pilot(
        personas.officer,
        {"name": "矩阵标准化试点", "level": BodyLevel.PROVINCIAL, "region": personas.tianyuan,
         "starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2022, 1, 1)},
    )  # fmt: skip
    return SimpleNamespace(
        p=personas,
        body=body,
        request=request,
        pilot=pilot,
        offering=offering,
        steps=steps,
        committee=committee,
        project=project,
    )


def _step(state: str):  # type: ignore[no-untyped-def]
    return lambda s: {"pk": s.steps[state].pk}


def _provider_step(action: str, state: str, body=None):  # type: ignore[no-untyped-def]
    """A provider's step on a request routed to the provider's organization: the provider
    does it; the others who see the request are refused (403), the rest get a 404."""
    return operation(
        f"POST /api/v1/nqi/onestop/requests/{{pk}}/{action}",
        kwargs=_step(state),
        body=(lambda s, p: body) if body is not None else (lambda s, p: {}),
        allow={"provider"},
        deny=NOT_FOUND,
        cells=dict.fromkeys(SEES_ROUTED - {"provider"}, FORBIDDEN),
    )


PERMISSIONS = [
    page("nqi:registers"),
    page("nqi:capability", query="q=GB/T%2019001"),
    page("nqi:catalogue", query="q=calibration"),
    page("nqi:dashboard"),
    page("nqi:dashboard_requests", kwargs=lambda s: {"pk": s.pilot.pk}, query="measure=served"),
    page("nqi:body", kwargs=lambda s: {"pk": s.body.organization_id}),
    page("nqi:file_request", allow={"alice", "bob"}),
    page("nqi:requests", allow=LOGGED_IN),
    page(
        "nqi:request",
        kwargs=lambda s: {"pk": s.request.pk},
        allow=SEES_FILED,
        deny=NOT_FOUND,
    ),
    *(
        page("nqi:register_new", kwargs=lambda s, k=kind: {"kind": k}, label=kind, allow=STAFF)
        for kind in ("committees", "bases", "pilots", "grants")
    ),
    page(
        "nqi:register_new",
        kwargs=lambda s: {"kind": "committees"},
        label="create",
        method="post",
        body=lambda s, p: {
            "number": f"SAC/TC {901 + len(p)}",
            "name": "新委员会",
            "kind": "tc",
            "level": "national",
            "secretariat": s.p.org_a.pk,
        },
        allow=STAFF,
        ok=REDIRECT,
    ),
    page(
        "nqi:register_edit",
        kwargs=lambda s: {"kind": "committees", "pk": s.committee.pk},
        allow=STAFF,
    ),
    page("nqi:accept_pilot", kwargs=lambda s: {"pk": s.project.pk}, allow=STAFF),
    page("nqi:import_accreditations", allow=STAFF),
    page(
        "nqi:accept_pilot",
        kwargs=lambda s: {"pk": s.project.pk},
        label="accept",
        method="post",
        body=lambda s, p: {"accepted_on": "2022-03-01", "score": "91.5", "passed": "1"},
        allow=STAFF,
        ok=REDIRECT,
    ),
    operation("GET /api/v1/nqi/capability"),
    operation("GET /api/v1/nqi/onestop/search"),
    operation("GET /api/v1/nqi/onestop/requests", allow=LOGGED_IN),
    operation(
        "GET /api/v1/nqi/onestop/requests/{pk}",
        kwargs=lambda s: {"pk": s.request.pk},
        allow=SEES_FILED,
        deny=NOT_FOUND,
    ),
    operation(
        "POST /api/v1/nqi/onestop/requests",
        body=lambda s, p: {"text": "出口欧盟的硬质合金刀片适用哪些标准？"},
        allow={"alice", "bob"},
        ok=CREATED,
    ),
    operation(
        "POST /api/v1/nqi/onestop/requests/{pk}/route",
        kwargs=lambda s: {"pk": s.request.pk},
        body=lambda s, p: {"offering_id": s.offering.pk, "provider_id": s.p.provider_org.pk},
        allow={"officer", "district_officer", "admin"},
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN},
    ),
    _provider_step("accept", "routed"),
    _provider_step("decline", "routed", {"reason": "本月满负荷"}),
    _provider_step("quote", "accepted", {"amount": "240.00"}),
    _provider_step("deliver", "quoted", {"documents": "校准证书 ZZJL-1"}),
    _provider_step("close", "delivered"),
    operation(
        "POST /api/v1/nqi/onestop/requests/{pk}/rate",
        kwargs=_step("closed"),
        body=lambda s, p: {"rating": 5, "comment": "好"},
        allow={"alice"},
        deny=NOT_FOUND,
        cells=dict.fromkeys(SEES_ROUTED - {"alice"}, FORBIDDEN),
    ),
]
