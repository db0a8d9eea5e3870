"""The permission matrix of the report pages (see "Permission matrix" in docs/core.md): the
public reads published reports (page, downloads, the published address, the API list); bureau
staff of the region read and download any snapshot's report, publish it and edit the
narrative; staff of another region (天元区 for the city's report) get neither the draft nor
the narrative; an unpublished report is not public."""

from __future__ import annotations

from types import SimpleNamespace

from zhizao.core.testing import (
    ALL,
    CITY_STAFF,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    NOT_REFUSED,
    REDIRECT,
    STAFF,
    Personas,
    operation,
    page,
)
from zhizao.reports import services


def scenario(personas: Personas) -> SimpleNamespace:
    published = services.take_snapshot(personas.officer, personas.city, 2021)
    services.publish(personas.officer, published)
    draft = services.take_snapshot(personas.officer, personas.city, 2020)
    district = services.take_snapshot(personas.district_officer, personas.tianyuan, 2021)
    for year in (2017, 2018, 2019):  # what the report compares with (once, not per cell)
        services.take_snapshot(personas.officer, personas.city, year)
        services.take_snapshot(personas.officer, personas.tianyuan, year)
    services.take_snapshot(personas.officer, personas.tianyuan, 2020)
    return SimpleNamespace(p=personas, published=published, draft=draft, district=district)


def _published(s: SimpleNamespace) -> dict[str, int]:
    return {"pk": s.published.pk}


def _draft(s: SimpleNamespace) -> dict[str, int]:
    return {"pk": s.draft.pk}


PERMISSIONS = [
    page("reports:index", allow=ALL),
    page("reports:published", allow=ALL, ok=REDIRECT, query="city=430200&year=2021"),
    page(
        "reports:published",
        allow=ALL,
        ok=NOT_FOUND,
        query="city=430200&year=2020",
        label="nothing published",
        cells={"officer": REDIRECT, "admin": REDIRECT},  # the city's staff get the draft
    ),
    page("reports:detail", kwargs=_published, allow=ALL, label="published"),
    page("reports:detail", kwargs=_draft, allow=CITY_STAFF, anonymous=FORBIDDEN, label="draft"),
    page(
        "reports:detail",
        kwargs=lambda s: {"pk": s.district.pk},
        allow=STAFF,
        anonymous=FORBIDDEN,
        label="天元区 draft",
    ),
    page(
        "reports:download",
        kwargs=lambda s: {"pk": s.published.pk, "fmt": "html"},
        allow=ALL,
        label="published",
    ),
    page(
        "reports:download",
        kwargs=lambda s: {"pk": s.draft.pk, "fmt": "html"},
        allow=CITY_STAFF,
        anonymous=FORBIDDEN,
        label="draft",
    ),
    page(
        "reports:publish",
        method="post",
        kwargs=_draft,
        allow=CITY_STAFF,
        ok=REDIRECT,
        anonymous=LOGIN,
        body=lambda s, persona: {"note": "test"},
    ),
    page("reports:texts", allow=CITY_STAFF, query="city=430200"),
    page("reports:texts", allow=STAFF, query="city=430211", label="天元区"),
    page(
        "reports:text_edit",
        kwargs=lambda s: {"section": "environment", "language": "zh-hans"},
        allow=CITY_STAFF,
        query="city=430200",
    ),
    page(
        "reports:text_edit",
        method="post",
        kwargs=lambda s: {"section": "environment", "language": "en"},
        allow=CITY_STAFF,
        ok=NOT_REFUSED,
        query="city=430200",
        body=lambda s, persona: {"template": "{air.good_days} good days in {year}."},
    ),
    operation("GET /api/v1/reports/snapshots", allow=ALL),
]
