"""The honours registry: award kinds come only from results; public page and drill-down."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhizao.registry import services

pytestmark = pytest.mark.django_db


def test_award_kinds_are_not_typed(personas):
    with pytest.raises(ValidationError, match="published award results"):
        services.create_honour(
            personas.officer,
            {
                "kind": "governor_award",
                "holder_kind": "organization",
                "holder_name": "x",
                "city": personas.city,
            },
        )
    with pytest.raises(PermissionDenied):
        services.create_honour(
            personas.alice,
            {
                "kind": "luban_award",
                "holder_kind": "project",
                "holder_name": "x",
                "city": personas.city,
            },
        )


def test_page_counts_and_drill_down(personas):
    services.create_honour(
        personas.officer,
        {
            "kind": "luban_award",
            "holder_kind": "project",
            "holder_name": "示例工程",
            "city": personas.city,
            "year": 2021,
        },
    )
    client = personas.client("anonymous")
    page = client.get(reverse("registry:honours")).content.decode()
    assert 'data-kind="luban_award"' in page
    drill = client.get(reverse("registry:kind", args=["luban_award"])).content.decode()
    assert "示例工程" in drill
    assert client.get(reverse("registry:kind", args=["nonsense"])).status_code == 404
    counts = {row["kind"]: row["count"] for row in client.get("/api/v1/registry/counts").json()}
    assert counts["luban_award"] == 1
    assert counts["furong_award"] == 0
