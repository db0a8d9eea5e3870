"""The permission matrix of supervision sampling (see "Permission matrix" in docs/core.md):
pass rates are public; batches and cases belong to the staff of the district sampled and to
the batch's producer and seller; recording, importing, plans and warnings are staff's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

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
from zhizao.sampling import services
from zhizao.sampling.choices import AuthorityLevel, Domain

READERS = STAFF | {"alice", "bob", "tester", "provider", "clerk"}  # organization users


def scenario(personas: Personas) -> SimpleNamespace:
    today = timezone.localdate()
    lab = services.create_lab(personas.officer, personas.provider_org)
    plan = services.create_plan(
        personas.officer,
        categories={"玩具": 2},
        year=today.year,
        domain=Domain.CONSUMER_GOODS,
        title="矩阵计划",
        authority="株洲市市场监督管理局",
        level=AuthorityLevel.CITY,
        region=personas.city,
        lab=lab,
    )

    def failed(producer, number):
        return services.record_batch(
            personas.officer,
            plan,
            services.BatchInput(
                category="玩具",
                producer=producer,
                product="积木",
                sampled_on=today - dt.timedelta(days=1),
                report_number=number,
                items=[services.ItemInput(name="铅", value="1", limit="≤0.5")],
            ),
        )

    batch_a, batch_b = failed(personas.org_a, "M-A"), failed(personas.org_b, "M-B")
    return SimpleNamespace(
        p=personas, year=today.year, batch_a=batch_a, batch_b=batch_b, case_b=batch_b.case
    )


PERMISSIONS = [
    page("sampling:index"),
    page("sampling:batches", allow=READERS),
    page(
        "sampling:batch_detail",
        kwargs=lambda s: {"pk": s.batch_a.pk},
        label="天元区 batch of A",
        allow={"officer", "district_officer", "admin", "alice"},
        deny=NOT_FOUND,
    ),
    page(
        "sampling:batch_detail",
        kwargs=lambda s: {"pk": s.batch_b.pk},
        label="石峰区 batch of B",
        allow={"officer", "admin", "bob"},
        deny=NOT_FOUND,
    ),
    page("sampling:batch_new", allow=STAFF),
    page("sampling:upload", allow=STAFF),
    page("sampling:cases", allow=READERS),
    page(
        "sampling:case_detail",
        kwargs=lambda s: {"pk": s.case_b.pk},
        allow={"officer", "admin", "bob"},
        deny=NOT_FOUND,
    ),
    page(
        "sampling:case_detail",
        kwargs=lambda s: {"pk": s.case_b.pk},
        label="send the notice",
        method="post",
        body=lambda s, persona: {"action": "notice"},
        allow={"officer", "admin"},
        ok=REDIRECT,
        deny=NOT_FOUND,
        cells={"bob": FORBIDDEN},
    ),
    page("sampling:plans", allow=STAFF),
    page("sampling:warnings", allow=STAFF),
    operation("GET /api/v1/sampling/pass-rates", query="year=2021"),
    operation("GET /api/v1/sampling/batches", allow=LOGGED_IN),
    operation(
        "GET /api/v1/sampling/batches/{batch_id}",
        kwargs=lambda s: {"batch_id": s.batch_a.pk},
        allow={"officer", "district_officer", "admin", "alice"},
        deny=NOT_FOUND,
    ),
]
