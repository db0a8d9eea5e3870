"""Filters of test records, shared by the list page, its exports, the API and drill-downs.

:func:`parse_filters` reads and checks the request's values (an invalid one is a 400 naming it);
:func:`filter_records` applies them to records and :func:`rollup_count` counts the same records
from the rollups when every filter is one the rollups can express (market, district, kind,
category, item, product, month, year, result) — an exact count without touching the records."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from zhizao.core.validators import control_character_message, has_control_characters
from zhizao.rapidtest.models import FollowUpCase, MarketMonthRollup, MonthlyRollup, TestRecord

MAX_ID = 2**63 - 1  # the largest primary key either database stores (64-bit signed)
MAX_IDS = 1000


class RecordFilters(Schema):
    """The records' filters as the API documents them; :func:`parse_filters` checks them."""

    market: int | None = Field(None, ge=1, le=MAX_ID)
    district: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str | None = None
    category: str | None = None
    item: int | None = Field(None, ge=1, le=MAX_ID)
    product: int | None = Field(None, ge=1, le=MAX_ID)
    month: str | None = Field(None, description="YYYY-MM, local month of testing")
    year: int | None = None
    result: str | None = Field(None, description="pass or fail")
    date_from: str | None = Field(None, description="YYYY-MM-DD, first local day of testing")
    date_to: str | None = Field(None, description="YYYY-MM-DD, last local day of testing")
    supplier: str | None = None
    ids: str | None = Field(None, description="comma-separated record ids (at most 1000)")


def _local_start(year: int, month: int) -> Any:
    return timezone.make_aware(datetime(year, month, 1))


def _local_day(day: date) -> Any:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def year_range() -> tuple[int, int]:
    """Years a filter may name: from the earliest plausible test date to next year."""
    return settings.ZHIZAO_EARLIEST_TEST_DATE.year, timezone.localdate().year + 1


def _identifier(value: object) -> int | None:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_filters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filters among ``params``, checked and normalised: ints for ids, ``(year, month)`` for
    the month, a bool for the result, a list of ids. Every filter of every path (records page,
    its exports, the API) is read here; a value that is not valid raises ``ValidationError``
    naming the parameter (400 on the API, a form error on the page), never a server error."""
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Any] = {}
    first, last = year_range()

    def given(name: str) -> str | None:
        value = params.get(name)
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        if has_control_characters(text):
            errors.setdefault(name, []).append(control_character_message())
            return None
        return text

    for name in ("market", "district", "item", "product"):
        if (text := given(name)) is not None:
            if (number := _identifier(text)) is None:
                errors.setdefault(name, []).append(
                    _("Give a whole number between 1 and %(max)d.") % {"max": MAX_ID}
                )
            else:
                parsed[name] = number
    for name in ("kind", "category", "supplier"):
        if (text := given(name)) is not None:
            parsed[name] = text
    if (month := given("month")) is not None:
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", month)
        if match and first <= int(match[1]) <= last and 1 <= int(match[2]) <= 12:
            parsed["month"] = (int(match[1]), int(match[2]))
        else:
            errors.setdefault("month", []).append(
                _("Give a month as YYYY-MM, between %(first)d-01 and %(last)d-12.")
                % {"first": first, "last": last}
            )
    if (year := given("year")) is not None:
        if year.isascii() and year.isdigit() and first <= int(year) <= last:
            parsed["year"] = int(year)
        else:
            errors.setdefault("year", []).append(
                _("Give a year between %(first)d and %(last)d.") % {"first": first, "last": last}
            )
    for name in ("date_from", "date_to"):
        if (text := given(name)) is not None:
            try:
                day = (
                    date.fromisoformat(text)
                    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text)
                    else None
                )
            except ValueError:
                day = None
            if day is not None and first <= day.year <= last:
                parsed[name] = day
            else:
                errors.setdefault(name, []).append(
                    _("Give a day as YYYY-MM-DD, between %(first)d-01-01 and %(last)d-12-31.")
                    % {"first": first, "last": last}
                )
    if "date_from" in parsed and "date_to" in parsed and parsed["date_from"] > parsed["date_to"]:
        errors.setdefault("date_to", []).append(_("The last day comes before the first."))
    if (result := given("result")) is not None:
        if result in ("pass", "fail"):
            parsed["passed"] = result == "pass"
        else:
            errors.setdefault("result", []).append(_("The result filter is pass or fail."))
    if (ids := given("ids")) is not None:
        numbers = [_identifier(part) for part in ids.split(",") if part.strip()]
        if None in numbers or len(numbers) > MAX_IDS:
            errors.setdefault("ids", []).append(
                _("Give at most %(n)d record numbers, separated by commas.") % {"n": MAX_IDS}
            )
        else:
            parsed["ids"] = numbers
    if errors:
        raise ValidationError(errors)
    return parsed


# Filters that are one equality lookup, with the same field path on the records and on both
# rollup tables.
FIELD_LOOKUPS = {
    "market": "market_id",
    "district": "market__region_id",
    "kind": "market__kind",
    "category": "product__category",
    "item": "item_id",
    "product": "product_id",
}


def _field_filters(parsed: dict[str, Any]) -> dict[str, Any]:
    return {lookup: parsed[name] for name, lookup in FIELD_LOOKUPS.items() if name in parsed}


def filter_records(
    queryset: QuerySet[TestRecord], params: Mapping[str, Any]
) -> QuerySet[TestRecord]:
    parsed = parse_filters(params)
    queryset = queryset.filter(**_field_filters(parsed))
    if "supplier" in parsed:
        # (never "", so the supplier index, which leaves out records without one, applies)
        queryset = queryset.filter(supplier=parsed["supplier"]).exclude(supplier="")
    if "month" in parsed:
        year_number, month_number = parsed["month"]
        start = _local_start(year_number, month_number)
        end = _local_start(year_number + month_number // 12, month_number % 12 + 1)
        queryset = queryset.filter(tested_at__gte=start, tested_at__lt=end)
    if "year" in parsed:
        year = parsed["year"]
        queryset = queryset.filter(
            tested_at__gte=_local_start(year, 1), tested_at__lt=_local_start(year + 1, 1)
        )
    if "date_from" in parsed:
        queryset = queryset.filter(tested_at__gte=_local_day(parsed["date_from"]))
    if "date_to" in parsed:
        queryset = queryset.filter(tested_at__lt=_local_day(parsed["date_to"] + timedelta(days=1)))
    if "passed" in parsed:
        queryset = queryset.filter(passed=parsed["passed"])
    if "ids" in parsed:
        queryset = queryset.filter(pk__in=parsed["ids"])
    return queryset


def scoped_records(market_ids: list[int]) -> QuerySet[TestRecord]:
    """Records of these markets. With one market the (market, tested_at) index serves both the
    filter and the list's order; with several, SQLite (which keeps no statistics unless
    ANALYZE ran) would pick the same index for ``market_id IN (…)`` and then sort every record of
    every market, so the membership test is written as ``market_id + 0 IN (…)``, which no index
    serves: the (tested_at) index then gives the order and the first page stops early."""
    if len(market_ids) == 1:
        return TestRecord.objects.filter(market_id=market_ids[0])
    if connection.vendor == "sqlite":
        return TestRecord.objects.alias(scope_market=F("market_id") + 0).filter(
            scope_market__in=market_ids
        )
    return TestRecord.objects.filter(market_id__in=market_ids)


ROLLUP_FILTERS = frozenset(
    {"market", "district", "kind", "category", "item", "product", "month", "year", "passed"}
)


def rollup_count(market_ids: list[int], params: Mapping[str, Any]) -> int | None:
    """How many records of these markets ``filter_records`` keeps, counted from the rollups
    (months are the city's local months, as in the filters); ``None`` when a filter (supplier,
    ids) is not one the rollups can express — then the records must be counted."""
    parsed = parse_filters(params)
    if not set(parsed) <= ROLLUP_FILTERS:
        return None
    detail = bool({"category", "item", "product"} & set(parsed))
    rollups: QuerySet[Any] = (MonthlyRollup if detail else MarketMonthRollup).objects.filter(
        market_id__in=market_ids, **_field_filters(parsed)
    )
    if "month" in parsed:
        year_number, month_number = parsed["month"]
        rollups = rollups.filter(month=date(year_number, month_number, 1))
    if "year" in parsed:
        rollups = rollups.filter(
            month__gte=date(parsed["year"], 1, 1), month__lte=date(parsed["year"], 12, 1)
        )
    sums = rollups.aggregate(total=Sum("total"), failed=Sum("failed"))
    total, failed = sums["total"] or 0, sums["failed"] or 0
    if "passed" in parsed:
        return total - failed if parsed["passed"] else failed
    return int(total)


def month_start(value: date) -> date:
    return value.replace(day=1)


# --- Stored values a page cannot read ---------------------------------------------------------

logger = logging.getLogger("zhizao.rapidtest")

# Times Python can represent in every zone (a stored year 0, as an unchecked import once wrote,
# cannot be read at all; the entry paths now refuse anything before ZHIZAO_EARLIEST_TEST_DATE).
READABLE_TIMES = (datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC))
TIME_FIELDS = ("tested_at", "sampled_at")
# The rollups count months from January 2000 (rollups.bump_arrays); an earlier month holds only
# what an unchecked import once stored, and the dashboard leaves it out (and logs it).
FIRST_ROLLUP_MONTH = date(2000, 1, 1)


def guarded_time(name: str) -> Case:
    """The stored time ``name`` (a field path) where it is readable, else NULL: the comparison
    is the database's, which reads what Python cannot."""
    low, high = READABLE_TIMES
    return Case(
        When(**{f"{name}__gte": low, f"{name}__lte": high}, then=F(name)),
        default=Value(None),
        output_field=DateTimeField(),
    )


def unreadable_time(name: str) -> Q:
    """The stored time ``name`` is there but out of range (NULL is not unreadable)."""
    low, high = READABLE_TIMES
    return Q(**{f"{name}__lt": low}) | Q(**{f"{name}__gt": high})


def readable_times(queryset: QuerySet[TestRecord]) -> QuerySet[TestRecord]:
    """Records whose times are read through a guard: an unreadable stored time comes back as
    ``None`` instead of failing the whole query (use :func:`with_readable_times` on the rows)."""
    guarded = {f"readable_{name}": guarded_time(name) for name in TIME_FIELDS}
    return queryset.defer(*TIME_FIELDS).annotate(**guarded)


def with_readable_times(records: Iterable[TestRecord]) -> Iterator[TestRecord]:
    """The records of a :func:`readable_times` query with their guarded times in place; a
    record whose test time could not be read is logged (and shown without it)."""
    for record in records:
        for name in TIME_FIELDS:
            setattr(record, name, getattr(record, f"readable_{name}"))
        if record.tested_at is None:
            logger.warning(
                "rapidtest record %s: stored test time is out of range; shown without it",
                record.pk,
            )
        yield record


def readable_record(queryset: QuerySet[TestRecord], pk: int) -> TestRecord | None:
    """One record read through the guard, or None if there is none."""
    found = list(with_readable_times(readable_times(queryset).filter(pk=pk)[:1]))
    return found[0] if found else None


CASE_TIME_FIELDS = ("opened_at", "due_at", "disposed_at", "lab_sent_at", "closed_at")


def readable_case_times(
    queryset: QuerySet[FollowUpCase], now: datetime | None = None
) -> QuerySet[FollowUpCase]:
    """Cases whose times are read through the guard (use :func:`with_readable_case_times` on the
    rows). Each case also carries ``unreadable_times`` (a stored time could not be read) and,
    given ``now``, ``overdue`` as the database decides it from the stored times — so a case
    keeps its overdue mark even when a time cannot be shown. A case's record is read without its
    times (``select_related("record")`` then leaves them deferred)."""
    guarded = {f"readable_{name}": guarded_time(name) for name in CASE_TIME_FIELDS}
    unreadable = Q()
    for name in CASE_TIME_FIELDS:
        unreadable |= unreadable_time(name)
    queryset = queryset.defer(*CASE_TIME_FIELDS).annotate(
        **guarded, unreadable_times=ExpressionWrapper(unreadable, output_field=BooleanField())
    )
    related = queryset.query.select_related
    if related is True or (isinstance(related, dict) and "record" in related):
        queryset = queryset.defer(*(f"record__{name}" for name in TIME_FIELDS))
    if now is not None:
        queryset = queryset.annotate(
            overdue=ExpressionWrapper(FollowUpCase.overdue_q(now), output_field=BooleanField())
        )
    return queryset


def has_unreadable_times(case: FollowUpCase) -> bool:
    """A case of :func:`readable_case_times` has a stored time that could not be read."""
    return bool(getattr(case, "unreadable_times", False))


def is_overdue(case: FollowUpCase) -> bool:
    """A case of :func:`readable_case_times` (given ``now``) is overdue, by the stored times."""
    return bool(getattr(case, "overdue", False))


def with_readable_case_times(cases: Iterable[FollowUpCase]) -> Iterator[FollowUpCase]:
    """The cases of a :func:`readable_case_times` query with their guarded times in place; a
    case with a time that could not be read is logged (and shown without it)."""
    for case in cases:
        for name in CASE_TIME_FIELDS:
            setattr(case, name, getattr(case, f"readable_{name}"))
        if has_unreadable_times(case):
            logger.warning(
                "rapidtest case %s: a stored time is out of range; shown without it", case.pk
            )
        yield case
