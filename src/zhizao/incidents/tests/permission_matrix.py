"""The permission matrix of incidents (see "Permission matrix" in docs/core.md): the per-domain
summary is public; incidents belong to the staff of their region and, read-only, to the
organizations involved."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from zhizao.core.testing import (
    FORBIDDEN,
    LOGGED_IN,
    NOT_FOUND,
    REDIRECT,
    STAFF,
    Personas,
    operation,
    page,
)
from zhizao.incidents import services
from zhizao.incidents.choices import Domain

READERS = STAFF | {"alice", "bob", "tester", "provider", "clerk"}  # organization users


def scenario(personas: Personas) -> SimpleNamespace:
    incident = services.record_incident(
        personas.officer,
        domain=Domain.FOOD,
        title="矩阵事件",
        occurred_on=dt.date(2021, 3, 1),
        region=personas.tianyuan,
        affected=40,
        parties=[services.Party(personas.org_a)],
    )
    return SimpleNamespace(p=personas, incident=incident)


PERMISSIONS = [
    page("incidents:index"),
    page("incidents:list", allow=READERS),
    page("incidents:new", allow=STAFF),
    page(
        "incidents:detail",
        kwargs=lambda s: {"pk": s.incident.pk},
        allow={"officer", "district_officer", "admin", "alice"},
        deny=NOT_FOUND,
    ),
    page(
        "incidents:detail",
        kwargs=lambda s: {"pk": s.incident.pk},
        label="record the handling",
        method="post",
        body=lambda s, persona: {"action": "handling", "text": "召回"},
        allow={"officer", "district_officer", "admin"},
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN},
    ),
    operation("GET /api/v1/incidents/summary", query="year=2021"),
    operation("GET /api/v1/incidents/", allow=LOGGED_IN),
]
