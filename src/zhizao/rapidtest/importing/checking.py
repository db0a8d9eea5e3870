"""Step 1 of an import, outside any transaction: every block checked with the record rules
(:mod:`zhizao.rapidtest.validation`), the whole file's record ids and batches (samples) checked,
and the clean blocks spooled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from zhizao.rapidtest.choices import MANUAL_SOURCES
from zhizao.rapidtest.importing.state import _Context, _State
from zhizao.rapidtest.validation import (
    COLUMNS,
    Rules,
    check_block,
    check_samples,
    np_bool,
)


def _validate_block(table: pa.Table, offset: int, ctx: _Context, state: _State) -> pa.Table | None:
    """Check one block with the record rules (:mod:`zhizao.rapidtest.validation`) and, when it
    and every block before it are clean, return the columns to write (all but the batch's id,
    which exists only once the write begins)."""
    n = table.num_rows
    rownum = np.arange(offset + 2, offset + 2 + n, dtype=np.int64)
    start_errors = len(state.errors)
    rules = Rules(
        catalogue=ctx.catalogue,
        default_market_id=ctx.default_market_id,
        manual=ctx.source in MANUAL_SOURCES,
        now=ctx.now,
        headers=ctx.columns,
    )
    columns = {name: table.column(name).combine_chunks() for name in ctx.columns}
    checked = check_block(columns, rownum, rules, state.add)
    cols = checked.texts
    empty = {name: np_bool(pc.equal(cols[name], "")) for name in ("record_id",)}
    market_ids, product_ids, item_ids = checked.market_ids, checked.product_ids, checked.item_ids
    tested, passed = checked.tested, checked.passed

    # Record ids: the file's own, or one derived from the file's hash and row number.
    explicit = ~empty["record_id"]
    if explicit.any():
        keys = pc.binary_join_element_wise(
            pc.cast(pa.array(market_ids), pa.string()), cols["record_id"], "|"
        )
        state.explicit_keys.append(keys.filter(pa.array(explicit)))
        state.explicit_rows.append(rownum[explicit])
    generated = pc.binary_join_element_wise(
        pa.repeat(pa.scalar(f"f{ctx.sha[:16]}", pa.string()), n),
        pc.cast(pa.array(rownum), pa.string()),
        "-",
    )
    record_ids = pc.if_else(pa.array(explicit), cols["record_id"], generated)
    # The sample (batch): the file's sample code, or the record id (a batch of its own).
    sample_codes = pc.if_else(pc.equal(cols["sample_code"], ""), record_ids, cols["sample_code"])

    if len(state.errors) > start_errors or state.errors:
        return None
    # Local (Asia/Shanghai) month of each test, as months since January 2000.
    months = pc.subtract(pc.add(pc.multiply(pc.year(tested), 12), pc.month(tested)), 2000 * 12 + 1)
    _accumulate(state, market_ids, sample_codes, months, product_ids, item_ids, passed, rownum)
    user_id = ctx.actor.pk if ctx.actor is not None else None
    return pa.table(
        {
            "market_id": pa.array(market_ids, pa.int64()),
            "stall_id": checked.stall_ids,
            "product_id": pa.array(product_ids, pa.int64()),
            "item_id": pa.array(item_ids, pa.int64()),
            "origin": cols["origin"],
            "supplier": cols["supplier"],
            "batch_kg": checked.weights,
            "sampled_at": checked.sampled,
            "tested_at": tested,
            "tester_id": pa.repeat(pa.scalar(user_id, pa.int64()), n),
            "tester_name": cols["tester"],
            "instrument_id": cols["instrument_id"],
            "value": pa.array(checked.values, pa.float64()),
            "passed": pa.array(passed, pa.bool_()),
            "source": pa.repeat(pa.scalar(ctx.source, pa.string()), n),
            "client_record_id": record_ids,
            "sample_code": sample_codes,
            "entered_at": pa.repeat(pa.scalar(ctx.now, pa.timestamp("us", tz="UTC")), n),
            "photo": pa.repeat(pa.scalar("", pa.string()), n),
            "is_synthetic": pa.repeat(pa.scalar(ctx.synthetic, pa.bool_()), n),
        }
    )


def _accumulate(
    state: _State,
    market_ids: npt.NDArray[np.int64],
    sample_codes: pa.Array,
    months: pa.Array,
    product_ids: npt.NDArray[np.int64],
    item_ids: npt.NDArray[np.int64],
    passed: npt.NDArray[np.bool_],
    rownum: npt.NDArray[np.int64],
) -> None:
    """Keep one block's tests (sample, rollup key, verdict, row) for the whole-file steps."""
    state.tests.append(
        pa.table(
            {
                "m": pa.array(market_ids, pa.int64()),
                "code": sample_codes,
                "mo": pc.cast(months, pa.int64()),
                "p": pa.array(product_ids, pa.int64()),
                "i": pa.array(item_ids, pa.int64()),
                "f": pa.array((~passed).astype(np.int64)),
                "row": pa.array(rownum, pa.int64()),
            }
        )
    )


RollupDeltas = tuple[npt.NDArray[np.int64], ...]


def _column(table: pa.Table, name: str) -> npt.NDArray[np.int64]:
    return np.asarray(table.column(name).to_numpy(), dtype=np.int64)


def _check_batches(state: _State, ctx: _Context) -> RollupDeltas | None:
    """The whole file's batch rules (:func:`validation.check_samples`: a sample's tests are of
    one product, each item once) and, when they hold, the import's counts per rollup key
    (market, month, product, item): tests, failed tests, and each batch — failed if any of its
    tests failed — on the key of its first row. Computed before the write transaction, which
    only adds them."""
    if not state.tests:
        return None
    tests = pa.concat_tables(state.tests).combine_chunks()
    state.tests = []
    markets, products, items, rows = (_column(tests, n) for n in ("m", "p", "i", "row"))
    failed = _column(tests, "f")
    sample = check_samples(
        markets,
        tests.column("code").combine_chunks(),
        products,
        items,
        rows,
        state.add,
        ctx.columns.get("sample_code", COLUMNS["sample_code"][0]),
    )
    if state.errors:
        return None
    # Rows are in file order: a sample's first row is its first occurrence.
    _samples, first = np.unique(sample, return_index=True)
    batch_failed = (np.bincount(sample, weights=failed) > 0).astype(np.int64)
    lead = np.zeros(len(rows), dtype=np.int64)
    lead[first] = 1
    counted = pa.table(
        {
            "m": tests.column("m"),
            "mo": tests.column("mo"),
            "p": tests.column("p"),
            "i": tests.column("i"),
            "t": pa.array(np.ones(len(rows), dtype=np.int64)),
            "f": pa.array(failed),
            "b": pa.array(lead),
            "bf": pa.array(lead * batch_failed[sample]),
        }
    )
    grouped = counted.group_by(["m", "mo", "p", "i"]).aggregate(
        [("t", "sum"), ("f", "sum"), ("b", "sum"), ("bf", "sum")]
    )
    return tuple(
        _column(grouped, name)
        for name in ("m", "mo", "p", "i", "t_sum", "f_sum", "b_sum", "bf_sum")
    )


def _check_duplicates(state: _State, ctx: _Context) -> None:
    if not state.explicit_keys:
        return
    keys = pa.chunked_array(state.explicit_keys).combine_chunks()
    rows = np.concatenate(state.explicit_rows)
    encoded = pc.dictionary_encode(keys)
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    counts = np.bincount(indices)
    if (counts <= 1).all():
        return
    order = np.argsort(rows, kind="stable")
    seen: set[int] = set()
    dup_rows = []
    for position in order:
        index = int(indices[position])
        if counts[index] > 1:
            if index in seen:
                dup_rows.append(rows[position])
            seen.add(index)
    state.add(
        np.array(dup_rows, dtype=np.int64),
        ctx.columns.get("record_id", "record_id"),
        _("This record id appears earlier in the file."),
    )


def _check_file(
    blocks: Iterator[pa.Table],
    index_of: dict[str, str],
    ctx: _Context,
    state: _State,
    spool: IO[bytes],
) -> None:
    """Step 1: check every block and, while every row so far is clean, spool the checked blocks
    (an Arrow IPC stream of the columns to write). No transaction is open: other connections
    write meanwhile."""
    writer: pa.ipc.RecordBatchStreamWriter | None = None
    schema: pa.Schema | None = None
    offset = 0
    for block in blocks:
        renamed = pa.table({c: block.column(index_of[c]) for c in ctx.columns})
        checked = _validate_block(renamed, offset, ctx, state)
        offset += block.num_rows
        if checked is None:
            continue
        if writer is None:
            schema = checked.schema
            writer = pa.ipc.new_stream(spool, schema)
        writer.write_table(checked if checked.schema == schema else checked.cast(schema))
    state.rows = offset + state.ragged
    if writer is not None:
        writer.close()
