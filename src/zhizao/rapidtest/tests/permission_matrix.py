"""The permission matrix of rapid testing's pages and API operations (see "Permission matrix"
in docs/core.md). The tester's market is in 芦淞区; a second market is in 天元区, the district
officer's: each has a failed test with its follow-up case."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from zhizao.core.choices import OrganizationKind
from zhizao.core.testing import (
    CITY_STAFF,
    CREATED,
    LOGGED_IN,
    NOT_FOUND,
    NOT_REFUSED,
    REDIRECT,
    STAFF,
    Personas,
    make_organization,
    operation,
    page,
)
from zhizao.rapidtest import services
from zhizao.rapidtest.choices import Source
from zhizao.rapidtest.models import MarketProfile, Product, TestItem

# Who reads a market's tests and cases: its testers and the staff of its region.
OWN_MARKET = {"officer", "tester", "admin"}
TIANYUAN_MARKET = {"officer", "district_officer", "admin"}
ANY_MARKET = OWN_MARKET | TIANYUAN_MARKET
API = "/api/v1/rapidtest"


def _failed_test(personas: Personas, market: Any, client_id: str) -> Any:
    record, _created = services.record_test_result(
        personas.admin,
        {
            "market": market,
            "product": Product.objects.get(name="青菜"),
            "item": TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留"),
            "value": "63.2",
            "tested_at": timezone.now() - timedelta(minutes=5),
            "client_record_id": client_id,
        },
        source=Source.API,
    )
    return record


# A 1×1 PNG: the record's photo evidence, served by permission.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def scenario(personas: Personas) -> SimpleNamespace:
    MarketProfile.objects.create(organization=personas.market, test_room_since="2017-01-01")
    other = make_organization("天元测试超市", personas.tianyuan, OrganizationKind.SUPERMARKET)
    MarketProfile.objects.create(organization=other)
    record = _failed_test(personas, personas.market, "matrix-own")
    record.photo.save("matrix.png", ContentFile(_PNG), save=True)  # photo evidence
    other_record = _failed_test(personas, other, "matrix-tianyuan")
    return SimpleNamespace(
        p=personas,
        market=personas.market,
        other_market=other,
        record=record,
        case=record.case,
        other_record=other_record,
        other_case=other_record.case,
    )


def _test_payload(s: SimpleNamespace, persona: str) -> dict[str, Any]:
    return {
        "client_record_id": f"matrix-{persona}",
        "market": s.market.credit_code,
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "value": "12.5",
        "tested_at": (timezone.now() - timedelta(minutes=1)).isoformat(),
    }


def _entry_form(s: SimpleNamespace, persona: str) -> dict[str, Any]:
    return {
        "product": Product.objects.get(name="青菜").pk,
        "item": TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留").pk,
        "value": "12.5",
        "tested_at": timezone.localtime(timezone.now() - timedelta(minutes=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
    }


def _large_upload(s: SimpleNamespace, persona: str) -> dict[str, Any]:
    """A CSV of more rows than the request imports itself: it goes to a background job."""
    from zhizao.rapidtest.importing import template_headers
    from zhizao.rapidtest.jobs import IMPORT_SYNC_MAX_ROWS

    lines = [",".join(template_headers("en"))]
    lines += [
        f"{persona}-{n},,,青菜,有机磷和氨基甲酸酯类农药残留"
        for n in range(IMPORT_SYNC_MAX_ROWS + 1)
    ]
    return {"file": ContentFile("\n".join(lines).encode(), name=f"{persona}.csv")}


PERMISSIONS = [
    page("rapidtest:index", ok=REDIRECT),  # to the dashboard, the entry form or the boards
    page("rapidtest:entry", allow=ANY_MARKET),
    page("rapidtest:entry", method="post", body=_entry_form, allow=ANY_MARKET, ok=NOT_REFUSED),
    page("rapidtest:catalogue_search", query="q=青"),
    page("rapidtest:upload", allow=ANY_MARKET),
    page("rapidtest:upload", method="post", body=lambda s, p: {}, allow=ANY_MARKET, ok=NOT_REFUSED),
    page(
        "rapidtest:upload",
        method="post",
        body=_large_upload,
        allow=ANY_MARKET,
        ok=REDIRECT,  # to the background job's page
        label="large file",
    ),
    page("rapidtest:template", kwargs=lambda s: {"language": "zh-hans", "kind": "csv"}),
    page("rapidtest:records", allow=ANY_MARKET),
    # The export buttons (POST): a small export is the file itself, a large one a job.
    page(
        "rapidtest:records",
        method="post",
        body=lambda s, p: {"export": "csv"},
        allow=ANY_MARKET,
        label="export",
    ),
    page(
        "rapidtest:record_detail",
        kwargs=lambda s: {"pk": s.record.pk},
        label="芦淞区 market",
        allow=OWN_MARKET,
    ),
    page(
        "rapidtest:record_detail",
        kwargs=lambda s: {"pk": s.other_record.pk},
        label="天元区 market",
        allow=TIANYUAN_MARKET,
    ),
    # Staff of the market's region correct and delete tests; testers may not.
    page(
        "rapidtest:record_detail",
        kwargs=lambda s: {"pk": s.record.pk},
        label="delete, 芦淞区 market",
        method="post",
        body=lambda s, p: {"action": "delete", "reason": "重复录入"},
        allow=CITY_STAFF,
        ok=REDIRECT,
    ),
    page(
        "rapidtest:record_detail",
        kwargs=lambda s: {"pk": s.other_record.pk},
        label="correct, 天元区 market",
        method="post",
        body=lambda s, p: {"value": "12.5", "reason": "录入错误"},
        allow=TIANYUAN_MARKET,
        ok=NOT_REFUSED,
    ),
    page(
        "rapidtest:record_photo",
        kwargs=lambda s: {"pk": s.record.pk},
        allow=OWN_MARKET,
        deny=NOT_FOUND,  # whoever may not open the record learns nothing of its photo
    ),
    page("rapidtest:dashboard", allow=STAFF),
    page("rapidtest:boards"),
    page("rapidtest:board", kwargs=lambda s: {"pk": s.market.pk}),
    # An enterprise is not a market: it has no board.
    page(
        "rapidtest:board",
        kwargs=lambda s: {"pk": s.p.org_a.pk},
        label="not a market",
        allow=set(),
        deny=NOT_FOUND,
        anonymous=NOT_FOUND,
    ),
    page("rapidtest:cases", allow=ANY_MARKET),
    page(
        "rapidtest:case_detail",
        kwargs=lambda s: {"pk": s.case.pk},
        label="芦淞区 market",
        allow=OWN_MARKET,
    ),
    page(
        "rapidtest:case_detail",
        kwargs=lambda s: {"pk": s.other_case.pk},
        label="天元区 market",
        allow=TIANYUAN_MARKET,
    ),
    # Testers record the disposal; only staff of the region close a case.
    page(
        "rapidtest:case_detail",
        kwargs=lambda s: {"pk": s.case.pk},
        label="update, 芦淞区 market",
        method="post",
        body=lambda s, p: {"held_kg": "30", "lab_result": ""},
        allow=OWN_MARKET,
        ok=NOT_REFUSED,
    ),
    page(
        "rapidtest:case_detail",
        kwargs=lambda s: {"pk": s.case.pk},
        label="close, 芦淞区 market",
        method="post",
        body=lambda s, p: {"action": "close", "note": "已处置"},
        allow=CITY_STAFF,
        ok=NOT_REFUSED,
    ),
    page("rapidtest:integrity", allow=STAFF),
    page("rapidtest:warnings", allow=STAFF),
    # Tests are entered for the 芦淞区 market: the 天元区 officer may not.
    operation(f"POST {API}/records", body=_test_payload, allow=OWN_MARKET, ok=CREATED),
    operation(
        f"POST {API}/records/batch",
        body=lambda s, persona: {"records": [_test_payload(s, persona)]},
        allow=OWN_MARKET,
    ),
    operation(f"GET {API}/records", allow=LOGGED_IN),
    operation(f"GET {API}/dashboard/market-month", allow=STAFF),
    operation(
        f"GET {API}/dashboard/{{dimension}}",
        kwargs=lambda s: {"dimension": "district"},
        allow=STAFF,
    ),
]
