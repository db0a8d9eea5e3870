"""The permission matrix of the honours registry (see "Permission matrix" in docs/core.md):
every page and operation is public."""

from __future__ import annotations

from types import SimpleNamespace

from zhizao.core.testing import NOT_FOUND, Personas, operation, page


def scenario(personas: Personas) -> SimpleNamespace:
    return SimpleNamespace(p=personas, org_a=personas.org_a)


PERMISSIONS = [
    page("registry:honours"),
    page("registry:kind", kwargs=lambda s: {"kind": "mayor_award"}),
    page(
        "registry:kind",
        kwargs=lambda s: {"kind": "no-such-kind"},
        label="unknown kind",
        allow=set(),
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    page("registry:organization", kwargs=lambda s: {"pk": s.org_a.pk}),
    operation("GET /api/v1/registry/counts"),
    operation("GET /api/v1/registry/honours"),
]
