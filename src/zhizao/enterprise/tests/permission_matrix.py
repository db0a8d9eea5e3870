"""The permission matrix of the enterprise pages (see "Permission matrix" in docs/core.md):
search, profiles and events are public (the profile's private part is tested on its own, in
test_profile.py); officers are registered by the enterprise's users and its region's staff;
events are recorded by staff of their region; materials are read by those staff and by the
participating organizations' users."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from zhizao.core.testing import (
    NOT_FOUND,
    REDIRECT,
    STAFF,
    Personas,
    operation,
    page,
)
from zhizao.enterprise import services
from zhizao.enterprise.choices import EventKind


def scenario(personas: Personas) -> SimpleNamespace:
    event = services.record_event(
        personas.district_officer,
        {
            "kind": EventKind.TRAINING,
            "topic": "矩阵培训",
            "organizer": "天元区市场监管局",
            "region": personas.tianyuan,
            "held_on": dt.date(2022, 3, 1),
        },
    )
    services.record_attendance(
        personas.district_officer, event, [services.AttendanceRow(personas.org_a, "甲")]
    )
    material = services.add_event_material(
        personas.district_officer, event, SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides")
    )
    services.report_performance(personas.alice, personas.org_a, 2020, {"orders": "10"})
    return SimpleNamespace(p=personas, event=event, material=material)


def attendance(s: SimpleNamespace, persona: str) -> dict[str, str]:
    return {"rows": f"{s.p.org_b.credit_code}, 乙"}


def material(s: SimpleNamespace, persona: str) -> dict[str, object]:
    return {"file": SimpleUploadedFile("more.pdf", b"%PDF-1.4 more")}


PERMISSIONS = [
    page("enterprise:search"),
    page("enterprise:search", query="q=测试&chain=rail_transit", label="query"),
    page("enterprise:profile", kwargs=lambda s: {"credit_code": s.p.org_a.credit_code}),
    page(
        "enterprise:profile",
        kwargs=lambda s: {"credit_code": "91430211MA4L0000XX"},
        label="malformed",
        allow=set(),
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    page(
        "enterprise:officer_create",
        kwargs=lambda s: {"credit_code": s.p.org_a.credit_code},
        allow={"officer", "district_officer", "alice", "admin"},
    ),
    page(
        "enterprise:officer_create",
        kwargs=lambda s: {"credit_code": s.p.org_a.credit_code},
        method="post",
        body=lambda s, persona: {"person_name": "甲质量", "appointed_on": "2022-01-01"},
        label="post",
        allow={"officer", "district_officer", "alice", "admin"},
        ok=REDIRECT,
    ),
    page(
        "enterprise:performance",
        kwargs=lambda s: {"credit_code": s.p.org_a.credit_code},
        allow={"officer", "district_officer", "alice", "admin"},
    ),
    page(
        "enterprise:performance",
        kwargs=lambda s: {"credit_code": s.p.org_a.credit_code},
        method="post",
        body=lambda s, persona: {"year": "2021", "orders": "12"},
        label="post",
        allow={"officer", "district_officer", "alice", "admin"},
        ok=REDIRECT,
    ),
    page(
        "enterprise:performance_review",
        kwargs=lambda s: {"credit_code": s.p.org_a.credit_code, "year": 2020},
        method="post",
        body=lambda s, persona: {"accept": "on"},
        allow={"officer", "district_officer", "admin"},
        ok=REDIRECT,
    ),
    page("enterprise:events"),
    page("enterprise:event_create", allow=STAFF),
    page("enterprise:event", kwargs=lambda s: {"pk": s.event.pk}),
    page(
        "enterprise:event_attendance",
        kwargs=lambda s: {"pk": s.event.pk},
        method="post",
        body=attendance,
        allow={"officer", "district_officer", "admin"},
        ok=REDIRECT,
    ),
    page(
        "enterprise:event_material",
        kwargs=lambda s: {"pk": s.event.pk},
        method="post",
        body=material,
        allow={"officer", "district_officer", "admin"},
        ok=REDIRECT,
    ),
    page(
        "enterprise:material",
        kwargs=lambda s: {"pk": s.material.pk},
        allow={"officer", "district_officer", "alice", "admin"},
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    operation("GET /api/v1/enterprises"),
    operation(
        "GET /api/v1/enterprises/{credit_code}/profile",
        kwargs=lambda s: {"credit_code": s.p.org_a.credit_code},
    ),
    operation(
        "GET /api/v1/enterprises/{credit_code}/profile",
        kwargs=lambda s: {"credit_code": "not-a-code"},
        label="malformed",
        allow=set(),
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
]
