"""The permission matrix of the provincial assessment (docs/assessment.md): templates are kept
by the city's bureau staff; an assessment, its documents and its evidence pack are for bureau
staff of the assessed region or above; other regions' staff, enterprises, testers and everyone
else get 404 (the assessment is not visible to them), anonymous visitors the login page."""

from __future__ import annotations

from types import SimpleNamespace

from zhizao.assessment import services
from zhizao.assessment.tests import factories
from zhizao.core.testing import (
    CITY_STAFF,
    LOGGED_IN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    STAFF,
    Personas,
    operation,
    page,
)


def scenario(personas: Personas) -> SimpleNamespace:
    template = factories.make_template(personas.officer, first="honours.mayor_award")
    city = services.open_assessment(
        personas.officer, template, personas.city, factories.done_snapshot(personas.city)
    )
    district = services.open_assessment(
        personas.district_officer,
        template,
        personas.tianyuan,
        factories.done_snapshot(personas.tianyuan),
    )
    item = template.items.get(number="1.1")
    document = services.attach_document(
        personas.officer, city, item, factories.upload("名录.pdf", factories.pdf_bytes())
    )
    return SimpleNamespace(
        p=personas, template=template, item=item, city=city, district=district, document=document
    )


PERMISSIONS = [
    page("assessment:index", allow=STAFF),
    page("assessment:templates", allow=CITY_STAFF),
    page("assessment:template", kwargs=lambda s: {"pk": s.template.pk}, allow=CITY_STAFF),
    page("assessment:item", kwargs=lambda s: {"pk": s.item.pk}, allow=CITY_STAFF),
    page(
        "assessment:assessment",
        kwargs=lambda s: {"pk": s.city.pk},
        label="the city's",
        allow=CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "assessment:assessment",
        kwargs=lambda s: {"pk": s.district.pk},
        label="a district's",
        allow=STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "assessment:pack",
        method="post",
        kwargs=lambda s: {"pk": s.city.pk},
        label="the city's",
        allow=CITY_STAFF,
        deny=NOT_FOUND,
    ),
    page(
        "assessment:pack",
        kwargs=lambda s: {"pk": s.city.pk},
        label="GET",
        allow=set(),
        deny=NOT_ALLOWED,
        anonymous=LOGIN,
    ),
    page(
        "assessment:document",
        kwargs=lambda s: {"pk": s.document.pk},
        allow=CITY_STAFF,
        deny=NOT_FOUND,
    ),
    operation("GET /api/v1/assessment/assessments", allow=LOGGED_IN),
    operation(
        "GET /api/v1/assessment/assessments/{assessment_id}/items",
        kwargs=lambda s: {"assessment_id": s.city.pk},
        allow=CITY_STAFF,
        deny=NOT_FOUND,
    ),
]
