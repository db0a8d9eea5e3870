"""The permission matrix of core's pages and API operations (see "Permission matrix" in
docs/core.md): org A is in 天元区 (the district officer's), org B in 石峰区 (not theirs)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from zhizao.core.demo import synthetic_credit_code
from zhizao.core.testing import (
    BAD_REQUEST,
    CITY_STAFF,
    CREATED,
    LOGGED_IN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    REDIRECT,
    STAFF,
    Personas,
    admin_urls,
    operation,
    page,
)

SEES_A = {"officer", "district_officer", "alice", "admin"}
SEES_B = {"officer", "bob", "admin"}


def scenario(personas: Personas) -> SimpleNamespace:
    from django.core.files.base import ContentFile

    from zhizao.core.choices import JobState
    from zhizao.core.models import Job

    # A finished background job of the officer's, with its result file: only its owner (and a
    # superuser) sees it; for anyone else it does not exist.
    job = Job(kind="rapidtest.export", owner=personas.officer, state=JobState.DONE)
    job.result.save("matrix.csv", ContentFile(b"\xef\xbb\xbfID\r\n"), save=False)
    job.save()
    return SimpleNamespace(p=personas, org_a=personas.org_a, org_b=personas.org_b, job=job)


def _new_organization(region_attr: str) -> Any:
    def body(s: SimpleNamespace, persona: str) -> dict[str, Any]:
        region = getattr(s.p, region_attr)
        return {
            "name": f"{persona}矩阵测试公司",
            "credit_code": synthetic_credit_code(f"matrix-{persona}", region.code),
            "kind": "enterprise",
            "region_id": region.pk,
        }

    return body


def _organization_form(s: SimpleNamespace, persona: str) -> dict[str, Any]:
    return {
        "name": f"{persona}页面测试公司",
        "credit_code": synthetic_credit_code(f"page-{persona}", s.p.tianyuan.code),
        "kind": "enterprise",
        "region": s.p.tianyuan.pk,
        "industry_chain": "",
    }


def _org_b_form(s: SimpleNamespace, persona: str) -> dict[str, Any]:
    org = s.org_b
    return {
        "name": org.name,
        "credit_code": org.credit_code,
        "kind": org.kind,
        "region": org.region_id,
        "industry_chain": org.industry_chain,
        "contact_phone": "0731-3333333",
    }


def _org(attr: str) -> Any:
    return lambda s: {"pk": getattr(s, attr).pk}


def _org_id(attr: str) -> Any:
    return lambda s: {"org_id": getattr(s, attr).pk}


PERMISSIONS = [
    page("core:home"),
    page("core:healthz"),
    page("core:login"),
    page("core:logout", method="post", ok=REDIRECT),
    page("set_language", method="post", ok=REDIRECT, body=lambda s, p: {"language": "en"}),
    page("api:openapi-json"),
    page("api:openapi-view"),
    page("api:api-root", allow=set(), deny=NOT_FOUND, anonymous=NOT_FOUND),
    page("core:console", allow=LOGGED_IN),
    page("core:landing", allow=LOGGED_IN, ok=REDIRECT),
    page("core:organization_list", allow=LOGGED_IN),
    page("core:organization_create", allow=STAFF),
    page(
        "core:organization_create",
        method="post",
        body=_organization_form,
        allow=STAFF,
        ok=REDIRECT,
    ),
    page("core:organization_detail", kwargs=_org("org_a"), label="org A", allow=SEES_A),
    page("core:organization_detail", kwargs=_org("org_b"), label="org B", allow=SEES_B),
    # Organization users change their contact details through the API, not this page.
    page("core:organization_edit", kwargs=_org("org_a"), label="org A", allow=STAFF),
    page("core:organization_edit", kwargs=_org("org_b"), label="org B", allow=CITY_STAFF),
    page(
        "core:organization_edit",
        kwargs=_org("org_b"),
        label="org B",
        method="post",
        body=_org_b_form,
        allow=CITY_STAFF,
        ok=REDIRECT,
    ),
    # Org B is still referenced by bob's login: staff get past the permission check and are
    # refused with a message (a redirect to the organization), everyone else gets 403.
    page(
        "core:organization_delete",
        kwargs=_org("org_b"),
        method="post",
        allow=CITY_STAFF,
        ok=REDIRECT,
    ),
    page(
        "core:organization_delete",
        kwargs=_org("org_a"),
        method="get",
        label="GET",
        allow=set(),
        deny=NOT_ALLOWED,
    ),
    # The audit administrator reads every record's history (三员分立), changing nothing.
    page("core:audit_log", allow=STAFF | {"auditor"}),
    page("core:inbox", allow=LOGGED_IN),
    page("core:inbox", method="post", allow=LOGGED_IN, ok=REDIRECT),  # mark all read
    page("core:job_list", allow=LOGGED_IN),
    page(
        "core:job_detail",
        kwargs=lambda s: {"pk": s.job.pk},
        allow={"officer", "admin"},
        deny=NOT_FOUND,
    ),
    page(
        "core:job_download",
        kwargs=lambda s: {"pk": s.job.pk},
        allow={"officer", "admin"},
        deny=NOT_FOUND,
    ),
    page("admin:*", urls=admin_urls, allow={"admin"}, deny=LOGIN),
    operation("GET /api/v1/regions"),
    operation("GET /api/v1/organizations"),
    # Everyone reads the register fields; the private ones are checked in test_permissions.
    operation("GET /api/v1/organizations/{org_id}", kwargs=_org_id("org_b")),
    operation(
        "POST /api/v1/organizations",
        label="in 天元区",
        body=_new_organization("tianyuan"),
        allow=STAFF,
        ok=CREATED,
    ),
    operation(
        "POST /api/v1/organizations",
        label="in 石峰区",
        body=_new_organization("shifeng"),
        allow=CITY_STAFF,
        ok=CREATED,
    ),
    operation(
        "PATCH /api/v1/organizations/{org_id}",
        kwargs=_org_id("org_a"),
        label="org A",
        body=lambda s, p: {"contact_name": "王五"},
        allow=SEES_A,
    ),
    operation(
        "PATCH /api/v1/organizations/{org_id}",
        kwargs=_org_id("org_b"),
        label="org B",
        body=lambda s, p: {"contact_name": "王五"},
        allow=SEES_B,
    ),
    # Org B is referenced by bob's login: staff pass the permission check and get a 400.
    operation(
        "DELETE /api/v1/organizations/{org_id}",
        kwargs=_org_id("org_b"),
        allow=CITY_STAFF,
        ok=BAD_REQUEST,
    ),
    operation("GET /api/v1/people", allow=LOGGED_IN),
    # Published figures and their drill-downs are public (issue 11).
    page("core:figures"),
    page("core:figure_records", kwargs=lambda s: {"code": "honours.luban"}, label="published"),
    operation("GET /api/v1/figures"),
    operation("GET /api/v1/me", allow=LOGGED_IN),
]
