"""The permission matrix of the fund ledger (see "Permission matrix" in docs/core.md):
programmes are public; applications, grants, documents and voucher scans are the applicant's and
its region's staff's (404 for others); review, grant and payment are for staff deciding for the
applicant's region (403 for the applicant itself)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

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
from zhizao.funds import services
from zhizao.funds.choices import Decision
from zhizao.funds.tests.factories import programme

PDF = b"%PDF-1.4 test"
OWN = {"officer", "district_officer", "alice", "admin"}


def scenario(personas: Personas) -> SimpleNamespace:
    fund = programme(personas.tianyuan, code="matrix-fund")
    application = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "标准奖励", "1000.00"
    )
    document = services.add_fund_document(
        personas.alice,
        application,
        SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    approved = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "质量提升", "2000.00"
    )
    services.review_fund_application(
        personas.district_officer, approved, decision=Decision.APPROVE, score="80"
    )
    granted = services.submit_fund_application(
        personas.alice, fund, personas.org_a, "品牌建设", "3000.00"
    )
    services.review_fund_application(personas.district_officer, granted, decision=Decision.APPROVE)
    grant = services.grant_fund(personas.district_officer, granted, "3000.00", dt.date(2022, 5, 1))
    payment = services.record_payment(
        personas.district_officer,
        grant,
        "1000.00",
        dt.date(2022, 6, 1),
        "PZ-1",
        voucher_file=SimpleUploadedFile("pz.pdf", PDF, content_type="application/pdf"),
    )
    return SimpleNamespace(
        p=personas,
        fund=fund,
        document=document,
        application=application,
        approved=approved,
        grant=grant,
        payment=payment,
    )


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
    page("funds:applications", allow=LOGGED_IN),
    page(
        "funds:application",
        kwargs=lambda s: {"pk": s.application.pk},
        allow=OWN,
        deny=NOT_FOUND,
    ),
    page(
        "funds:review",
        kwargs=lambda s: {"pk": s.application.pk},
        method="post",
        body=lambda s, persona: {"decision": "approve", "score": "90", "note": ""},
        allow=STAFF,
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN},
    ),
    page(
        "funds:grant_application",
        kwargs=lambda s: {"pk": s.approved.pk},
        method="post",
        body=lambda s, persona: {"amount": "1500.00", "granted_on": "2022-05-02", "note": ""},
        allow=STAFF,
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN},
    ),
    page("funds:grant", kwargs=lambda s: {"pk": s.grant.pk}, allow=OWN, deny=NOT_FOUND),
    page(
        "funds:pay",
        kwargs=lambda s: {"pk": s.grant.pk},
        method="post",
        body=lambda s, persona: {"amount": "500.00", "paid_on": "2022-06-02", "voucher": "PZ-2"},
        allow=STAFF,
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"alice": FORBIDDEN},
    ),
    page(
        "funds:voucher",
        kwargs=lambda s: {"pk": s.payment.pk},
        allow=OWN,
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    operation("GET /api/v1/funds/programmes"),
    operation("GET /api/v1/funds/grants", allow=LOGGED_IN),
]
