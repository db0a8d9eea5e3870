"""The permission matrix of the dashboard and the open data (see "Permission matrix" in
docs/core.md): every page and operation is public and reads published snapshots only; a
region or year without a publication is a 404 for everyone, staff included."""

from __future__ import annotations

from types import SimpleNamespace

from zhizao.core.models import Region
from zhizao.core.testing import ALL, NOT_FOUND, Personas, operation, page
from zhizao.reports import services as reports

PUBLISHED = "rapidtest.pass_rate"


def scenario(personas: Personas) -> SimpleNamespace:
    reports.publish(personas.officer, reports.take_snapshot(personas.officer, personas.city, 2021))
    # Computed but never published: nobody sees it through the dashboard or the open data.
    hetang = Region.objects.get(code="430202")
    reports.take_snapshot(personas.officer, hetang, 2021)
    return SimpleNamespace(p=personas, hetang=hetang)


PERMISSIONS = [
    page("opendata:dashboard", allow=ALL),
    page("opendata:dashboard", allow=ALL, label="a published year", query="year=2021"),
    page(
        "opendata:dashboard",
        allow=(),
        label="a year not published",
        query="year=2020",
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    # A district without a publication says so (200) and shows nothing of the unpublished one.
    page("opendata:region_dashboard", kwargs=lambda s: {"code": s.hetang.code}, allow=ALL),
    page(
        "opendata:region_dashboard",
        kwargs=lambda s: {"code": "999999"},
        label="unknown region",
        allow=(),
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    operation("GET /api/v1/open/series", allow=ALL),
    operation("GET /api/v1/open/series", allow=ALL, label="CSV", query="format=csv"),
    operation("GET /api/v1/open/series", allow=ALL, label="XLSX", query="format=xlsx"),
    operation("GET /api/v1/open/series/{code}", kwargs=lambda s: {"code": PUBLISHED}, allow=ALL),
    operation("GET /api/v1/open/datasets", allow=ALL),
    operation(
        "GET /api/v1/open/datasets/{code}",
        kwargs=lambda s: {"code": "honours"},
        query="year=2021",
        allow=ALL,
    ),
    operation(
        "GET /api/v1/open/datasets/{code}",
        kwargs=lambda s: {"code": "honours"},
        label="a region that has not published",
        query="region=430202&year=2021",
        allow=(),
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    operation("GET /api/v1/catalog", allow=ALL),
]
