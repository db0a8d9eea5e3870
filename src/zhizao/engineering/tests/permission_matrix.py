"""The permission matrix of engineering quality (see "Permission matrix" in docs/core.md): pass
rates are public; projects belong to the staff of their region and, read-only, to the builder,
supervisor and designer."""

from __future__ import annotations

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
from zhizao.engineering import services
from zhizao.engineering.choices import ProjectKind

READERS = STAFF | {"alice", "bob", "tester", "provider", "clerk"}  # organization users


def scenario(personas: Personas) -> SimpleNamespace:
    project = services.create_project(
        personas.officer,
        name="矩阵工程",
        kind=ProjectKind.CONSTRUCTION,
        region=personas.shifeng,
        builder=personas.org_b,
    )
    return SimpleNamespace(p=personas, project=project)


PERMISSIONS = [
    page("engineering:index"),
    page("engineering:projects", allow=READERS),
    page(
        "engineering:project",
        kwargs=lambda s: {"pk": s.project.pk},
        allow={"officer", "admin", "bob"},
        deny=NOT_FOUND,
    ),
    page(
        "engineering:project",
        kwargs=lambda s: {"pk": s.project.pk},
        label="record an acceptance",
        method="post",
        body=lambda s, persona: {
            "action": "acceptance",
            "acceptance-accepted_on": "2021-05-01",
            "acceptance-passed": "on",
        },
        allow={"officer", "admin"},
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"bob": FORBIDDEN},
    ),
    operation("GET /api/v1/engineering/rates", query="year=2021"),
    operation("GET /api/v1/engineering/projects", allow=LOGGED_IN),
]
