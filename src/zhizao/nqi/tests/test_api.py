"""The one-stop workflow through the API: each step is the service with its role check; a step
that is not open, a bad amount or rating is a 400 naming the field; the operations are in the
OpenAPI schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zhizao.nqi import services
from zhizao.nqi.choices import Element, PilotKind, RequestStatus, Stage
from zhizao.nqi.models import OneStopPilot, ServiceRequest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/nqi/onestop/requests"


def _offering(personas: Any) -> Any:
    return services.create_offering(
        personas.officer,
        {"title": "计量器具校准", "title_en": "Calibration", "description": "校准",
         "description_en": "calibration", "element": Element.METROLOGY, "stage": Stage.PRODUCTION},
        [{"provider": personas.provider_org, "price_min": Decimal(100),
          "price_max": Decimal(300), "promised_days": 5}],
    )  # fmt: skip


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_the_workflow_through_the_api(personas: Any) -> None:
    pilot = OneStopPilot.objects.create(
        name="天元试点", name_en="Tianyuan pilot", kind=PilotKind.ZONE, region=personas.tianyuan,
        city=personas.city,
    )  # fmt: skip
    offering = _offering(personas)
    alice, officer, provider = (personas.client(n) for n in ("alice", "officer", "provider"))

    filed = post(alice, BASE, {"text": "40 把扭力扳手线上审核前要校准", "offering_id": offering.pk})
    assert filed.status_code == 201, filed.content
    pk = filed.json()["id"]
    assert filed.json()["status"] == RequestStatus.FILED
    assert filed.json()["pilot_id"] == pilot.pk
    assert post(alice, BASE, {"text": "  "}).status_code == 400

    # Not routed yet: the provider does not see it; quoting is not open for anyone.
    assert post(provider, f"{BASE}/{pk}/accept").status_code == 404
    bad = post(
        officer,
        f"{BASE}/{pk}/route",
        {"offering_id": offering.pk, "provider_id": personas.org_b.pk},
    )
    assert bad.status_code == 400
    assert "does not offer" in bad.content.decode()
    routed = post(
        officer,
        f"{BASE}/{pk}/route",
        {"offering_id": offering.pk, "provider_id": personas.provider_org.pk},
    )
    assert routed.json()["status"] == RequestStatus.ROUTED
    assert routed.json()["promised_days"] == 5

    not_open = post(provider, f"{BASE}/{pk}/quote", {"amount": "240.00"})
    assert not_open.status_code == 400
    assert "not open" in not_open.content.decode()
    assert post(alice, f"{BASE}/{pk}/accept").status_code == 403
    accepted = post(provider, f"{BASE}/{pk}/accept")
    assert accepted.json()["due_at"] is not None
    assert post(provider, f"{BASE}/{pk}/quote", {"amount": "-1"}).status_code == 400
    assert post(provider, f"{BASE}/{pk}/quote", {"amount": "1.234"}).status_code == 422  # schema
    quoted = post(provider, f"{BASE}/{pk}/quote", {"amount": "240.00"})
    assert Decimal(quoted.json()["quote_amount"]) == Decimal("240.00")
    assert post(provider, f"{BASE}/{pk}/deliver", {"documents": " "}).status_code == 400
    post(provider, f"{BASE}/{pk}/deliver", {"documents": "校准证书 ZZJL-1"})
    closed = post(provider, f"{BASE}/{pk}/close")
    assert closed.json()["status"] == RequestStatus.CLOSED
    assert post(alice, f"{BASE}/{pk}/rate", {"rating": 6}).status_code == 400
    assert post(personas.client("bob"), f"{BASE}/{pk}/rate", {"rating": 5}).status_code == 404
    rated = post(alice, f"{BASE}/{pk}/rate", {"rating": 4, "comment": "很方便"})
    assert (rated.json()["status"], rated.json()["rating"]) == (RequestStatus.RATED, 4)

    stored = ServiceRequest.objects.get(pk=pk)
    assert stored.history.latest().history_user == personas.alice
    assert stored.documents == "校准证书 ZZJL-1"
    assert stored.comment == "很方便"
    listed = alice.get(BASE).json()
    assert [row["id"] for row in listed["items"]] == [pk]
    assert personas.client("bob").get(BASE).json()["count"] == 0
    assert officer.get(f"{BASE}?status=rated").json()["count"] == 1
    assert officer.get(f"{BASE}?status=filed").json()["count"] == 0


def test_the_workflow_operations_are_in_the_openapi_schema(personas: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for step in ("route", "accept", "decline", "quote", "deliver", "close", "rate"):
        assert "post" in paths[f"{BASE}/{{pk}}/{step}"], step
    assert {"get", "post"} <= set(paths[BASE])
