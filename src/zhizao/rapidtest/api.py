"""REST API of rapid testing: instruments POST one test or a batch (idempotent by client record
id), clients read records, cases and dashboard figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from zhizao.core.api_auth import api_auth
from zhizao.rapidtest import figures, permissions, services
from zhizao.rapidtest.choices import Source
from zhizao.rapidtest.filters import RecordFilters, filter_records
from zhizao.rapidtest.models import TestRecord

router = Router(tags=["rapidtest"], auth=api_auth)


class RecordIn(Schema):
    client_record_id: str
    market: str | int  # credit code or primary key
    product: str
    item: str
    value: str
    tested_at: datetime
    sampled_at: datetime | None = None
    result: str | None = None
    stall: str | None = None
    origin: str = ""
    supplier: str = ""
    batch_kg: float | None = None
    tester_name: str = ""
    instrument_id: str = ""


class RecordOut(Schema):
    id: int
    client_record_id: str
    market_id: int
    product: str
    item: str
    value: float
    passed: bool
    tested_at: datetime
    entered_at: datetime
    source: str
    case_id: int | None = None
    created: bool = False


class BatchIn(Schema):
    records: list[RecordIn]


class BatchOut(Schema):
    created: int
    existing: int
    records: list[RecordOut]


def _market(request: HttpRequest, value: str | int) -> Any:
    allowed = permissions.private_markets(request.auth)  # type: ignore[attr-defined]
    market = (
        allowed.filter(pk=int(value)).first()
        if isinstance(value, int) or str(value).isdigit()
        else allowed.filter(credit_code=str(value).strip().upper()).first()
    )
    if market is None:
        raise PermissionDenied("You may not enter tests for this market.")
    return market


def _out(record: TestRecord, created: bool) -> dict[str, Any]:
    case = getattr(record, "case", None) if not record.passed else None
    return {
        "id": record.pk,
        "client_record_id": record.client_record_id,
        "market_id": record.market_id,
        "product": record.product.name,
        "item": record.item.name,
        "value": record.value,
        "passed": record.passed,
        "tested_at": record.tested_at,
        "entered_at": record.entered_at,
        "source": record.source,
        "case_id": case.pk if case else None,
        "created": created,
    }


def _record(request: HttpRequest, payload: RecordIn) -> tuple[TestRecord, bool]:
    data = payload.dict()
    data["market"] = _market(request, payload.market)
    return services.record_test_result(request.auth, data, source=Source.API)  # type: ignore[attr-defined]


@router.post("/records", response={200: RecordOut, 201: RecordOut})
def post_record(request: HttpRequest, payload: RecordIn) -> Status[dict[str, Any]]:
    """Record one test; a retry with the same client_record_id returns the stored record (200)."""
    record, created = _record(request, payload)
    return Status(201 if created else 200, _out(record, created))


@router.post("/records/batch", response=BatchOut)
def post_batch(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    """Record a batch as a whole: all valid, or nothing saved and each bad record listed."""
    results: list[tuple[TestRecord, bool]] = []
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for index, item in enumerate(payload.records):
            try:
                with transaction.atomic():
                    results.append(_record(request, item))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors[f"records.{index}.{field}"] = messages
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ValidationError(errors)
    return {
        "created": sum(1 for _r, created in results if created),
        "existing": sum(1 for _r, created in results if not created),
        "records": [_out(record, created) for record, created in results],
    }


class RecordPage(Schema):
    count: int
    results: list[RecordOut]


@router.get("/records", response=RecordPage)
def list_records(
    request: HttpRequest, filters: Query[RecordFilters], limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    queryset = filter_records(
        TestRecord.objects.filter(market__in=permissions.private_markets(request.auth)),  # type: ignore[attr-defined]
        filters.dict(exclude_none=True),
    ).select_related("product", "item", "case")
    limit = max(1, min(limit, 500))
    return {
        "count": queryset.count(),
        "results": [_out(record, False) for record in queryset[offset : offset + limit]],
    }


@router.get("/dashboard/market-month")
def dashboard_market_month(request: HttpRequest) -> dict[str, Any]:
    """Pass rate by market and month with 95% Wilson intervals (from the rollup)."""
    if not permissions.can_see_dashboard(request.auth):  # type: ignore[attr-defined]
        raise PermissionDenied
    return {"rows": figures.market_month(request.auth)}  # type: ignore[attr-defined]


@router.get("/dashboard/{dimension}")
def dashboard_dimension(request: HttpRequest, dimension: str) -> dict[str, Any]:
    """Pass rate by market, district, kind, category, item, product, month or year."""
    if not permissions.can_see_dashboard(request.auth):  # type: ignore[attr-defined]
        raise PermissionDenied
    if dimension not in figures.DIMENSIONS:
        raise ValidationError({"dimension": [f"one of {', '.join(figures.DIMENSIONS)}"]})
    queryset = figures.scoped_rollups(request.auth)  # type: ignore[attr-defined]
    return {
        "overall": figures.overall(queryset),
        "rows": [
            {
                k: v
                for k, v in row.items()
                if k in ("key", "label", "total", "failed", "rate", "low", "high")
            }
            for row in figures.breakdown(queryset, dimension)
        ],
        "synthetic": figures.is_synthetic(),
    }
