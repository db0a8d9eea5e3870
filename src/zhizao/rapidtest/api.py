"""REST API of rapid testing: instruments POST one test or a batch (idempotent by client record
id), clients read records, cases and dashboard figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from zhizao.core.api_auth import api_auth
from zhizao.core.pagination import BoundedPagination
from zhizao.rapidtest import figures, permissions, services, validation
from zhizao.rapidtest.choices import Source
from zhizao.rapidtest.filters import (
    RecordFilters,
    _identifier,
    filter_records,
    readable_times,
    rollup_count,
    scoped_records,
    with_readable_times,
)
from zhizao.rapidtest.models import FollowUpCase, TestRecord

router = Router(tags=["rapidtest"], auth=api_auth)


class RecordIn(Schema):
    client_record_id: str
    market: str | int  # credit code or primary key
    product: str
    item: str
    value: str
    sample_code: str = Field(
        "", description="the sample (batch) tested: the tests of one sample share it"
    )
    tested_at: datetime
    sampled_at: datetime | None = None
    result: str | None = None
    stall: str | None = None
    origin: str = ""
    supplier: str = ""
    batch_kg: str | float | None = None  # as written: the record rules read it
    tester_name: str = ""
    instrument_id: str = ""


class RecordOut(Schema):
    id: int
    client_record_id: str
    sample_code: str
    market_id: int
    product: str
    item: str
    value: float
    passed: bool
    tested_at: datetime | None = Field(description="null if the stored time is out of range")
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
    text = str(value).strip()
    if isinstance(value, int) or (text.isascii() and text.isdigit()):
        number = _identifier(text)
        market = allowed.filter(pk=number).first() if number is not None else None
    else:
        market = allowed.filter(credit_code=text.upper()[:18]).first()
    if market is None:
        raise PermissionDenied(_("You may not enter tests for this market."))
    return market


def _out(record: TestRecord, created: bool, case_id: int | None = None) -> dict[str, Any]:
    if case_id is None and not record.passed:
        case = getattr(record, "case", None)
        case_id = case.pk if case else None
    return {
        "id": record.pk,
        "client_record_id": record.client_record_id,
        "sample_code": record.sample_code,
        "market_id": record.market_id,
        "product": record.product.name,
        "item": record.item.name,
        "value": record.value,
        "passed": record.passed,
        "tested_at": record.tested_at,
        "entered_at": record.entered_at,
        "source": record.source,
        "case_id": case_id if not record.passed else None,
        "created": created,
    }


def _record(
    request: HttpRequest,
    payload: RecordIn,
    catalogues: dict[int, validation.Catalogue] | None = None,
) -> tuple[TestRecord, bool]:
    data = payload.dict()
    data["market"] = _market(request, payload.market)
    return services.record_test_result(
        request.auth,  # type: ignore[attr-defined]
        data,
        source=Source.API,
        catalogues=catalogues,
    )


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
    catalogues: dict[int, validation.Catalogue] = {}  # each market's catalogue, read once
    with transaction.atomic():
        for index, item in enumerate(payload.records):
            try:
                with transaction.atomic():
                    results.append(_record(request, item, catalogues))
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
    items: list[RecordOut]


@router.get("/records", response=RecordPage)
def list_records(
    request: HttpRequest,
    filters: Query[RecordFilters],
    page: Query[BoundedPagination.Input],
) -> dict[str, Any]:
    """Test records the caller may see, newest first; the same ``limit``/``offset`` paging and
    ``{"count", "items"}`` shape as every other list of the API."""
    market_ids = list(
        permissions.private_markets(request.auth).values_list("pk", flat=True)  # type: ignore[attr-defined]
    )
    params = filters.dict(exclude_none=True)
    queryset = filter_records(scoped_records(market_ids), params).select_related("product", "item")
    window = list(readable_times(queryset)[page.offset : page.offset + page.limit])
    cases = dict(
        FollowUpCase.objects.filter(record__in=[r.pk for r in window]).values_list(
            "record_id", "pk"
        )
    )
    # The count the records page shows: from the rollups whenever the filters allow.
    count = rollup_count(market_ids, params)
    return {
        "count": queryset.count() if count is None else count,
        "items": [
            _out(record, False, cases.get(record.pk)) for record in with_readable_times(window)
        ],
    }


class MarketMonthRow(Schema):
    market_id: int
    month: str = Field(description="YYYY-MM, local (Asia/Shanghai) month of testing")
    total: int = Field(description="batches tested")
    failed: int = Field(description="batches failed (不合格): a test of the batch failed")
    passed: int
    tests: int = Field(description="tests (items) made on those batches")
    rate: float = Field(description="pass rate in percent, unrounded")
    low: float = Field(description="95% Wilson score interval, lower bound, percent")
    high: float = Field(description="95% Wilson score interval, upper bound, percent")


class MarketMonthOut(Schema):
    rows: list[MarketMonthRow]


@router.get("/dashboard/market-month", response=MarketMonthOut)
def dashboard_market_month(request: HttpRequest) -> HttpResponse:
    """Pass rate by market and month with 95% Wilson intervals, for the markets the caller may
    see (bureau staff: their regions). Served from the market × month rollup; the serialised
    body is cached per rollup version, so any write (insert, correction, deletion, import) is
    reflected in the next response."""
    if not permissions.can_see_dashboard(request.auth):  # type: ignore[attr-defined]
        raise PermissionDenied
    body = figures.market_month_json(request.auth)  # type: ignore[attr-defined]
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get("/dashboard/{dimension}")
def dashboard_dimension(request: HttpRequest, dimension: str) -> dict[str, Any]:
    """Batches (``total``, ``failed``), tests (``tests``, ``tests_failed``) and the batch pass
    rate by market, district, kind, category, item, product, month or year."""
    if not permissions.can_see_dashboard(request.auth):  # type: ignore[attr-defined]
        raise PermissionDenied
    if dimension not in figures.DIMENSIONS:
        choices = ", ".join(figures.DIMENSIONS)
        raise ValidationError(
            {"dimension": [_("Enter one of %(expected)s.") % {"expected": choices}]}
        )
    tables, overall = figures.dashboard_tables(request.auth)  # type: ignore[attr-defined]
    return {
        "overall": overall,
        "rows": [
            {
                k: v
                for k, v in row.items()
                if k
                in (
                    "key",
                    "label",
                    "total",
                    "failed",
                    "tests",
                    "tests_failed",
                    "rate",
                    "low",
                    "high",
                )
            }
            for row in tables[dimension]
        ],
        "synthetic": figures.is_synthetic(),
    }
