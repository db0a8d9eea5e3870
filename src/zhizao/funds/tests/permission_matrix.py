"""The permission matrix of the fund ledger (see "Permission matrix" in docs/core.md):
programmes are public; documents are the applicant's and its region's staff's."""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from zhizao.core.testing import LOGGED_IN, NOT_FOUND, REDIRECT, Personas, operation, page
from zhizao.funds import services
from zhizao.funds.tests.factories import programme


def scenario(personas: Personas) -> SimpleNamespace:
    fund = programme(personas.tianyuan, code="matrix-fund")
    application = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "标准奖励", "1000.00"
    )
    document = services.add_fund_document(
        personas.alice,
        application,
        SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    return SimpleNamespace(p=personas, fund=fund, document=document)


PERMISSIONS = [
    page("funds:programmes"),
    page("funds:programme", kwargs=lambda s: {"code": s.fund.code}),
    page(
        "funds:programme",
        kwargs=lambda s: {"code": "no-such-fund"},
        label="unknown",
        allow=set(),
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    page(
        "funds:document",
        kwargs=lambda s: {"pk": s.document.pk},
        allow={"officer", "district_officer", "alice", "admin"},
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    page(
        "funds:apply",
        kwargs=lambda s: {"code": s.fund.code},
        allow={"alice", "bob"},
    ),
    page(
        "funds:apply",
        kwargs=lambda s: {"code": s.fund.code},
        method="post",
        body=lambda s, persona: {"project": f"{persona}的项目", "amount_requested": "500.00"},
        label="post",
        allow={"alice", "bob"},
        ok=REDIRECT,
    ),
    operation("GET /api/v1/funds/programmes"),
    operation("GET /api/v1/funds/grants", allow=LOGGED_IN),
]
