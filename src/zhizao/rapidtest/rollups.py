"""The rollup tables behind the dashboard, kept current by every write path.

Each write (insert, correction, deletion, bulk import) adds its signed counts with one upsert
(``INSERT … ON CONFLICT DO UPDATE SET total = total + excluded.total``), which is atomic on both
SQLite and PostgreSQL, so concurrent writers never lose an increment. :func:`recount` computes the
same figures from the records; tests prove the two agree.

Two kinds of count sit side by side (docs/decisions/0006-rapidtest-batches.md): tests (``total``,
``failed``: one per item tested) and batches (``batches``, ``batches_failed``: one per sample,
failed if any of its items failed), each batch counted on the key of its first test (lowest id:
the first row of its sample in a file). A write changes a batch's count by the difference of the
batch's state (:func:`batch_state`) before and after it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhizao.rapidtest.models import (
    MarketMonthRollup,
    MonthlyRollup,
    RollupVersion,
    SupplierMonthRollup,
    TestRecord,
)

# (market_id, month, product_id, item_id) -> (tests, failed tests, batches, failed batches)
Key = tuple[int, date, int, int]
Counts = tuple[int, int, int, int]
# (market_id, month, supplier) -> (tests, failed tests)
SupplierKey = tuple[int, date, str]


class Deltas(dict[Key, Counts]):
    """Signed counts a write adds to the rollups: per detail key (this dict) and, in
    ``suppliers``, tests and failed tests per market, month and supplier."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.suppliers: dict[SupplierKey, tuple[int, int]] = {}


# A batch as the rollups count it: the key of its first test, and 1 if it failed.
BatchState = tuple[Key, int]


def month_of(moment: datetime) -> date:
    """First day of the month of ``moment`` in the city's time zone."""
    return timezone.localtime(moment).date().replace(day=1)


def key_of(record: TestRecord) -> Key:
    return (record.market_id, month_of(record.tested_at), record.product_id, record.item_id)


def _param(month: date) -> date | str:
    return month if connection.vendor == "postgresql" else month.isoformat()


def _adding(table: str) -> str:
    return ", ".join(
        f"{name} = {table}.{name} + excluded.{name}"
        for name in ("total", "failed", "batches", "batches_failed")
    )


DETAIL_SQL = (
    "INSERT INTO rapidtest_monthlyrollup "
    "(market_id, month, product_id, item_id, total, failed, batches, batches_failed) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (market_id, month, product_id, item_id) "
    f"DO UPDATE SET {_adding('rapidtest_monthlyrollup')}"
)
MARKET_SQL = (
    "INSERT INTO rapidtest_marketmonthrollup (market_id, month, total, failed, batches, "
    "batches_failed) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (market_id, month) "
    f"DO UPDATE SET {_adding('rapidtest_marketmonthrollup')}"
)


VERSION_SQL = (
    "INSERT INTO rapidtest_rollupversion (id, token) VALUES (1, %s) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)


def touch() -> None:
    """Give the rollups a new version token (inside the writer's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [uuid.uuid4().hex])


def version() -> str:
    """The rollups' current version token ("" before the first write)."""
    token = RollupVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or ""


SUPPLIER_SQL = (
    "INSERT INTO rapidtest_suppliermonthrollup (market_id, month, supplier, total, failed) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (market_id, month, supplier) "
    "DO UPDATE SET total = rapidtest_suppliermonthrollup.total + excluded.total, "
    "failed = rapidtest_suppliermonthrollup.failed + excluded.failed"
)


def bump(deltas: dict[Key, Counts]) -> None:
    """Add signed (tests, failed tests, batches, failed batches) counts to both rollup tables,
    and a :class:`Deltas`' supplier counts to the supplier rollup."""
    suppliers = [
        (market_id, _param(month), supplier, *counts)
        for (market_id, month, supplier), counts in getattr(deltas, "suppliers", {}).items()
        if any(counts)
    ]
    if suppliers:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(SUPPLIER_SQL, suppliers)
            touch()
    if not deltas:
        return
    by_market: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    detail: list[tuple[Any, ...]] = []
    for (market_id, month, product_id, item_id), counts in deltas.items():
        if not any(counts):
            continue
        detail.append((market_id, _param(month), product_id, item_id, *counts))
        sums = by_market[(market_id, month)]
        for index, count in enumerate(counts):
            sums[index] += count
    market_rows = [(m, _param(month), *c) for (m, month), c in by_market.items() if any(c)]
    with transaction.atomic(), connection.cursor() as cursor:
        if detail:
            cursor.executemany(DETAIL_SQL, detail)
        if market_rows:
            cursor.executemany(MARKET_SQL, market_rows)
        touch()


def _pg_array(values: npt.NDArray[np.int64]) -> str:
    """A PostgreSQL array literal of integers, built without a Python object per element."""
    return "{" + ",".join(np.asarray(values, dtype=np.int64).astype(str).tolist()) + "}"


# One statement per table for a whole import: the deltas travel as arrays, months as
# "months since January 2000" (the importer's encoding), unnested and upserted set-wise.
PG_DETAIL_ARRAYS_SQL = (
    "INSERT INTO rapidtest_monthlyrollup "
    "(market_id, month, product_id, item_id, total, failed, batches, batches_failed) "
    "SELECT m, make_date(2000 + mo / 12, mo %% 12 + 1, 1), p, i, t, f, b, bf "
    "FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::bigint[], %s::int[], %s::int[], "
    "%s::int[], %s::int[]) AS d(m, mo, p, i, t, f, b, bf) "
    "ON CONFLICT (market_id, month, product_id, item_id) "
    f"DO UPDATE SET {_adding('rapidtest_monthlyrollup')}"
)
PG_MARKET_ARRAYS_SQL = (
    "INSERT INTO rapidtest_marketmonthrollup "
    "(market_id, month, total, failed, batches, batches_failed) "
    "SELECT m, make_date(2000 + mo / 12, mo %% 12 + 1, 1), sum(t), sum(f), sum(b), sum(bf) "
    "FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::int[], %s::int[], %s::int[]) "
    "AS d(m, mo, t, f, b, bf) GROUP BY m, mo "
    "ON CONFLICT (market_id, month) "
    f"DO UPDATE SET {_adding('rapidtest_marketmonthrollup')}"
)


def bump_arrays(
    market_ids: npt.NDArray[np.int64],
    months: npt.NDArray[np.int64],
    product_ids: npt.NDArray[np.int64],
    item_ids: npt.NDArray[np.int64],
    totals: npt.NDArray[np.int64],
    failed: npt.NDArray[np.int64],
    batches: npt.NDArray[np.int64],
    batches_failed: npt.NDArray[np.int64],
) -> None:
    """Add counts (tests, failed tests, batches, failed batches) given column-wise (one entry
    per distinct market, month, product, item; month
    as months since January 2000) to both rollup tables — the bulk import's path: one statement
    per table on PostgreSQL, ``executemany`` on SQLite."""
    if len(market_ids) == 0:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        touch()
        if connection.vendor == "postgresql":
            arrays = [_pg_array(a) for a in (market_ids, months, product_ids, item_ids)]
            counts = [_pg_array(a) for a in (totals, failed, batches, batches_failed)]
            cursor.execute(PG_DETAIL_ARRAYS_SQL, [*arrays, *counts])
            cursor.execute(PG_MARKET_ARRAYS_SQL, [arrays[0], arrays[1], *counts])
        else:
            years, month0 = np.divmod(np.asarray(months, dtype=np.int64), 12)
            month_text = np.char.add(
                np.char.add((years + 2000).astype(str), "-"),
                np.char.add(np.char.zfill((month0 + 1).astype(str), 2), "-01"),
            ).tolist()
            cursor.executemany(
                DETAIL_SQL,
                list(
                    zip(
                        market_ids.tolist(),
                        month_text,
                        product_ids.tolist(),
                        item_ids.tolist(),
                        totals.tolist(),
                        failed.tolist(),
                        batches.tolist(),
                        batches_failed.tolist(),
                        strict=True,
                    )
                ),
            )
            # Per market and month: group the detail deltas again.
            keys = np.asarray(market_ids, dtype=np.int64) * 4096 + np.asarray(months) % 4096
            unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            sums = [
                np.bincount(inverse, weights=counts, minlength=len(unique)).astype(np.int64)
                for counts in (totals, failed, batches, batches_failed)
            ]
            cursor.executemany(
                MARKET_SQL,
                list(
                    zip(
                        (unique // 4096).tolist(),
                        [month_text[i] for i in first.tolist()],
                        *(column.tolist() for column in sums),
                        strict=True,
                    )
                ),
            )


def add(deltas: Deltas, key: Key, *counts: int) -> None:
    """Add (tests, failed tests[, batches, failed batches]) to ``key``'s deltas."""
    old = deltas.get(key, (0, 0, 0, 0))
    padded = (*counts, 0, 0, 0, 0)[:4]
    deltas[key] = (old[0] + padded[0], old[1] + padded[1], old[2] + padded[2], old[3] + padded[3])


def add_test(deltas: Deltas, record: TestRecord, sign: int) -> None:
    """Count (``sign`` +1) or uncount (-1) one test as it stands."""
    failed = sign * (0 if record.passed else 1)
    key = key_of(record)
    add(deltas, key, sign, failed)
    if record.supplier:
        supplier_key = (key[0], key[1], record.supplier)
        old = deltas.suppliers.get(supplier_key, (0, 0))
        deltas.suppliers[supplier_key] = (old[0] + sign, old[1] + failed)


def bump_suppliers_of_batch(batch_id: int) -> None:
    """Add the tests of one import batch to the supplier rollup (the bulk import's path, in its
    write transaction): one grouped query over the batch's records."""
    rows = (
        TestRecord.objects.filter(import_batch_id=batch_id)
        .exclude(supplier="")
        .annotate(month=TruncMonth("tested_at"))
        .values_list("market_id", "month", "supplier")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(passed=False)))
        .order_by()
    )
    deltas = Deltas()
    for market_id, month, supplier, total, failed in rows:
        deltas.suppliers[(market_id, _local_month(month), supplier)] = (total, failed)
    bump(deltas)


def _local_month(month: date | datetime) -> date:
    return timezone.localtime(month).date() if isinstance(month, datetime) else month


def batch_state(market_id: int, sample_code: str) -> BatchState | None:
    """The batch as the rollups count it, read from its stored tests: the key of its first test
    (lowest id) and 1 if any test failed; None if it has no test (left)."""
    rows = list(
        TestRecord.objects.filter(market_id=market_id, sample_code=sample_code)
        .order_by("pk")
        .values_list("tested_at", "product_id", "item_id", "passed")
    )
    if not rows:
        return None
    tested_at, product_id, item_id, _passed = rows[0]
    if tested_at is None:
        return None
    failed = 0 if all(row[3] for row in rows) else 1
    return (market_id, month_of(tested_at), product_id, item_id), failed


def add_batch(deltas: Deltas, state: BatchState | None, sign: int) -> None:
    if state is not None:
        key, failed = state
        add(deltas, key, 0, 0, sign, sign * failed)


def stored() -> dict[Key, Counts]:
    """The detail rollup as stored (zero rows left behind by deletions are skipped)."""
    return {
        (row.market_id, row.month, row.product_id, row.item_id): (
            row.total,
            row.failed,
            row.batches,
            row.batches_failed,
        )
        for row in MonthlyRollup.objects.all()
        if row.total or row.failed or row.batches or row.batches_failed
    }


def stored_suppliers() -> dict[SupplierKey, tuple[int, int]]:
    """The supplier rollup as stored (zero rows skipped)."""
    return {
        (row.market_id, row.month, row.supplier): (row.total, row.failed)
        for row in SupplierMonthRollup.objects.all()
        if row.total or row.failed
    }


def recount_suppliers() -> dict[SupplierKey, tuple[int, int]]:
    """The supplier rollup computed afresh from the records."""
    return {
        (market_id, _local_month(month), supplier): (total, failed)
        for market_id, month, supplier, total, failed in TestRecord.objects.exclude(supplier="")
        .annotate(month=TruncMonth("tested_at"))
        .values_list("market_id", "month", "supplier")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(passed=False)))
        .order_by()
    }


def stored_market_month() -> dict[tuple[int, date], Counts]:
    return {
        (row.market_id, row.month): (row.total, row.failed, row.batches, row.batches_failed)
        for row in MarketMonthRollup.objects.all()
        if row.total or row.failed or row.batches or row.batches_failed
    }


def recount(records: Iterable[TestRecord] | None = None) -> dict[Key, Counts]:
    """The detail rollup computed afresh from the records: tests per key from one grouped query,
    batches from every test's (market, sample, id, verdict) (a repair tool and the tests'
    check, not a hot path)."""
    rows = (
        TestRecord.objects.annotate(month=TruncMonth("tested_at"))
        .values("market_id", "month", "product_id", "item_id")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(passed=False)))
        .order_by()
    )
    result: dict[Key, Counts] = {}
    for row in rows:
        month = row["month"]
        month = timezone.localtime(month).date() if isinstance(month, datetime) else month
        result[(row["market_id"], month, row["product_id"], row["item_id"])] = (
            row["total"],
            row["failed"],
            0,
            0,
        )
    first: dict[tuple[int, str], tuple[Key, int]] = {}
    for market_id, code, tested_at, product_id, item_id, passed in (
        TestRecord.objects.order_by("pk")
        .values_list("market_id", "sample_code", "tested_at", "product_id", "item_id", "passed")
        .iterator(chunk_size=10_000)
    ):
        sample = (market_id, code)
        if tested_at is None:
            continue
        if sample not in first:
            key = (market_id, month_of(tested_at), product_id, item_id)
            first[sample] = (key, 0 if passed else 1)
        elif not passed:
            first[sample] = (first[sample][0], 1)
    for key, failed in first.values():
        tests = result.get(key, (0, 0, 0, 0))
        result[key] = (tests[0], tests[1], tests[2] + 1, tests[3] + failed)
    return result


def recount_market_month() -> dict[tuple[int, date], Counts]:
    result: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (market_id, month, _product, _item), counts in recount().items():
        for index, count in enumerate(counts):
            result[(market_id, month)][index] += count
    return {key: (c[0], c[1], c[2], c[3]) for key, c in result.items()}


@transaction.atomic
def rebuild() -> None:
    """Recompute the rollup tables from the records (repair tool; ``zhizao`` shell)."""
    MonthlyRollup.objects.all().delete()
    MarketMonthRollup.objects.all().delete()
    SupplierMonthRollup.objects.all().delete()
    touch()
    bump(recount())
    deltas = Deltas()
    deltas.suppliers.update(recount_suppliers())
    bump(deltas)
