"""The rollup tables behind the dashboard, kept current by every write path.

Each write (insert, correction, deletion, bulk import) adds its signed counts with one upsert
(``INSERT … ON CONFLICT DO UPDATE SET total = total + excluded.total``), which is atomic on both
SQLite and PostgreSQL, so concurrent writers never lose an increment. :func:`recount` computes the
same figures from the records; tests prove the two agree.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhizao.rapidtest.models import MarketMonthRollup, MonthlyRollup, RollupVersion, TestRecord

# (market_id, month, product_id, item_id) -> (total, failed)
Key = tuple[int, date, int, int]
Deltas = dict[Key, tuple[int, int]]


def month_of(moment: datetime) -> date:
    """First day of the month of ``moment`` in the city's time zone."""
    return timezone.localtime(moment).date().replace(day=1)


def key_of(record: TestRecord) -> Key:
    return (record.market_id, month_of(record.tested_at), record.product_id, record.item_id)


def _param(month: date) -> date | str:
    return month if connection.vendor == "postgresql" else month.isoformat()


DETAIL_SQL = (
    "INSERT INTO rapidtest_monthlyrollup (market_id, month, product_id, item_id, total, failed) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (market_id, month, product_id, item_id) "
    "DO UPDATE SET total = rapidtest_monthlyrollup.total + excluded.total, "
    "failed = rapidtest_monthlyrollup.failed + excluded.failed"
)
MARKET_SQL = (
    "INSERT INTO rapidtest_marketmonthrollup (market_id, month, total, failed) "
    "VALUES (%s, %s, %s, %s) ON CONFLICT (market_id, month) "
    "DO UPDATE SET total = rapidtest_marketmonthrollup.total + excluded.total, "
    "failed = rapidtest_marketmonthrollup.failed + excluded.failed"
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


def bump(deltas: Deltas) -> None:
    """Add signed (total, failed) counts to both rollup tables."""
    if not deltas:
        return
    by_market: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    detail: list[tuple[int, date | str, int, int, int, int]] = []
    for (market_id, month, product_id, item_id), (total, failed) in deltas.items():
        if total == 0 and failed == 0:
            continue
        detail.append((market_id, _param(month), product_id, item_id, total, failed))
        pair = by_market[(market_id, month)]
        pair[0] += total
        pair[1] += failed
    market_rows = [(m, _param(month), t, f) for (m, month), (t, f) in by_market.items() if t or f]
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
    "INSERT INTO rapidtest_monthlyrollup (market_id, month, product_id, item_id, total, failed) "
    "SELECT m, make_date(2000 + mo / 12, mo %% 12 + 1, 1), p, i, t, f "
    "FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::bigint[], %s::int[], %s::int[]) "
    "AS d(m, mo, p, i, t, f) "
    "ON CONFLICT (market_id, month, product_id, item_id) "
    "DO UPDATE SET total = rapidtest_monthlyrollup.total + excluded.total, "
    "failed = rapidtest_monthlyrollup.failed + excluded.failed"
)
PG_MARKET_ARRAYS_SQL = (
    "INSERT INTO rapidtest_marketmonthrollup (market_id, month, total, failed) "
    "SELECT m, make_date(2000 + mo / 12, mo %% 12 + 1, 1), sum(t), sum(f) "
    "FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::int[]) AS d(m, mo, t, f) "
    "GROUP BY m, mo "
    "ON CONFLICT (market_id, month) "
    "DO UPDATE SET total = rapidtest_marketmonthrollup.total + excluded.total, "
    "failed = rapidtest_marketmonthrollup.failed + excluded.failed"
)


def bump_arrays(
    market_ids: npt.NDArray[np.int64],
    months: npt.NDArray[np.int64],
    product_ids: npt.NDArray[np.int64],
    item_ids: npt.NDArray[np.int64],
    totals: npt.NDArray[np.int64],
    failed: npt.NDArray[np.int64],
) -> None:
    """Add counts given column-wise (one entry per distinct market, month, product, item; month
    as months since January 2000) to both rollup tables — the bulk import's path: one statement
    per table on PostgreSQL, ``executemany`` on SQLite."""
    if len(market_ids) == 0:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        touch()
        if connection.vendor == "postgresql":
            arrays = [_pg_array(a) for a in (market_ids, months, product_ids, item_ids)]
            counts = [_pg_array(totals), _pg_array(failed)]
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
                        strict=True,
                    )
                ),
            )
            # Per market and month: group the detail deltas again.
            keys = np.asarray(market_ids, dtype=np.int64) * 4096 + np.asarray(months) % 4096
            unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            market_totals = np.bincount(inverse, weights=totals, minlength=len(unique))
            market_failed = np.bincount(inverse, weights=failed, minlength=len(unique))
            cursor.executemany(
                MARKET_SQL,
                list(
                    zip(
                        (unique // 4096).tolist(),
                        [month_text[i] for i in first.tolist()],
                        market_totals.astype(np.int64).tolist(),
                        market_failed.astype(np.int64).tolist(),
                        strict=True,
                    )
                ),
            )


def add(deltas: Deltas, key: Key, total: int, failed: int) -> None:
    old_total, old_failed = deltas.get(key, (0, 0))
    deltas[key] = (old_total + total, old_failed + failed)


def bump_record(record: TestRecord, sign: int) -> None:
    bump({key_of(record): (sign, sign * (0 if record.passed else 1))})


def stored() -> dict[Key, tuple[int, int]]:
    """The detail rollup as stored (zero rows left behind by deletions are skipped)."""
    return {
        (row.market_id, row.month, row.product_id, row.item_id): (row.total, row.failed)
        for row in MonthlyRollup.objects.all()
        if row.total or row.failed
    }


def stored_market_month() -> dict[tuple[int, date], tuple[int, int]]:
    return {
        (row.market_id, row.month): (row.total, row.failed)
        for row in MarketMonthRollup.objects.all()
        if row.total or row.failed
    }


def recount(records: Iterable[TestRecord] | None = None) -> dict[Key, tuple[int, int]]:
    """The detail rollup computed afresh from the records."""
    rows = (
        TestRecord.objects.annotate(month=TruncMonth("tested_at"))
        .values("market_id", "month", "product_id", "item_id")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(passed=False)))
        .order_by()
    )
    result: dict[Key, tuple[int, int]] = {}
    for row in rows:
        month = row["month"]
        month = timezone.localtime(month).date() if isinstance(month, datetime) else month
        result[(row["market_id"], month, row["product_id"], row["item_id"])] = (
            row["total"],
            row["failed"],
        )
    return result


def recount_market_month() -> dict[tuple[int, date], tuple[int, int]]:
    result: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for (market_id, month, _product, _item), (total, failed) in recount().items():
        result[(market_id, month)][0] += total
        result[(market_id, month)][1] += failed
    return {key: (t, f) for key, (t, f) in result.items()}


@transaction.atomic
def rebuild() -> None:
    """Recompute both rollup tables from the records (repair tool; ``zhizao`` shell)."""
    MonthlyRollup.objects.all().delete()
    MarketMonthRollup.objects.all().delete()
    touch()
    bump(recount())
