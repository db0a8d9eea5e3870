"""The one rule set of a rapid-test record, vectorised: every way in — the entry form, the API,
corrections and CSV/XLSX imports — checks its records here, a single record as a one-row block,
so that the paths cannot disagree.

A block is a mapping of canonical column names (:data:`COLUMNS`) to Arrow arrays of text as
written (times may also come typed, as timestamps); :func:`check_block` reports every bad cell
(row, column, reason in the active language) and returns the checked values. The rules:

- required columns, maximum lengths, no control characters in any text
  (``core.validators.CONTROL_CHARACTERS``);
- the market (credit code, or the default market), instrument-only rooms refuse manual entry;
- product and test item from the catalogue, the item applying to the product's category;
- times ``YYYY-MM-DD HH:MM[:SS]`` (local), not before ``ZHIZAO_EARLIEST_TEST_DATE`` and not in
  the future; sampling not after testing;
- numbers written as plain decimals (``12.5``, ``-3``, ``1e-2``; never ``1_000``, ``inf`` or
  ``nan``), finite and in the field's range;
- the value under the item's rule, decided by the indicator engine and compared exactly as
  decimals (a float comparison is exact except where the value and the threshold round to the
  same float; those rows are decided by the engine's exact decimal ``decide``), and a stated
  result that contradicts it refused;
- the booth number, when given, must name a stall of the row's market;
- the tests of one sample (batch: the same market and sample code) are of one product, and
  test each item at most once (:func:`check_samples`, over a whole file or a record with the
  stored tests of its sample).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core.models import Organization
from zhizao.core.validators import CONTROL_CHARACTERS, control_character_message
from zhizao.indicators.rapidtest import (
    NEGATIVE_WORDS,
    POSITIVE_WORDS,
    Decision,
    decide,
    decide_array,
)
from zhizao.rapidtest.choices import FAIL_WORDS, PASS_WORDS, QUALITATIVE_DIRECTIONS
from zhizao.rapidtest.models import MarketProfile, Product, Stall, TestItem

# Canonical column -> (English header, Chinese header, max length or None)
COLUMNS: dict[str, tuple[str, str, int | None]] = {
    "record_id": ("record_id", "记录编号", 64),
    "market_code": ("market_code", "市场信用代码", 18),
    "booth": ("booth", "摊位号", 32),
    "product": ("product", "产品", None),
    "item": ("item", "检测项目", None),
    "origin": ("origin", "产地", 100),
    "supplier": ("supplier", "供货商", 200),
    "batch_kg": ("batch_kg", "批重kg", None),
    "sampled_at": ("sampled_at", "抽样时间", None),
    "tested_at": ("tested_at", "检测时间", None),
    "tester": ("tester", "检测员", 50),
    "instrument_id": ("instrument_id", "仪器编号", 64),
    "value": ("value", "检测值", None),
    "result": ("result", "结果", None),
    # Optional, last: files written before batches existed still read the same.
    "sample_code": ("sample_code", "样品编号", 64),
}
REQUIRED = ("product", "item", "tested_at", "value")
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
VALUE_LIMIT = 1e6  # |measured value| (inhibition rates are percentages; readings are small)
BATCH_KG_LIMIT = 1e6  # a batch of at most 1,000 t
FUTURE_TOLERANCE = timedelta(hours=1)  # instrument clocks run a little fast

Report = Callable[[npt.NDArray[np.int64], str, str], None]


def earliest_test_time() -> datetime:
    """Local midnight of ``ZHIZAO_EARLIEST_TEST_DATE``: no test can be older."""
    return timezone.make_aware(datetime.combine(settings.ZHIZAO_EARLIEST_TEST_DATE, time()))


def np_bool(array: pa.Array | pa.ChunkedArray) -> npt.NDArray[np.bool_]:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def lookup(values: pa.Array, value_set: pa.Array) -> npt.NDArray[np.int64]:
    """Index of each value in value_set, -1 if absent."""
    if len(value_set) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    found = pc.index_in(values, value_set=value_set)
    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def parse_times(values: pa.Array) -> pa.Array:
    """Local times as written in a file (formats :data:`TIME_FORMATS`), null where unreadable."""
    parsed = pc.strptime(values, format=TIME_FORMATS[0], unit="s", error_is_null=True)
    for fmt in TIME_FORMATS[1:]:
        if parsed.null_count == 0:
            break
        parsed = pc.coalesce(parsed, pc.strptime(values, format=fmt, unit="s", error_is_null=True))
    return pc.assume_timezone(parsed, timezone=settings.TIME_ZONE)


def typed_times(values: list[datetime | None]) -> pa.Array:
    """Aware datetimes as a local timestamp column (microseconds), without converting any of
    them to another zone in Python (year 1 in a zone east of UTC would overflow)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    micros = [None if v is None else (v - epoch) // timedelta(microseconds=1) for v in values]
    return pa.array(micros, pa.timestamp("us", tz=settings.TIME_ZONE))


def _epoch_us(times: pa.Array) -> pa.Array:
    return pc.cast(pc.cast(times, pa.timestamp("us", tz="UTC")), pa.int64())


@dataclass
class Catalogue:
    """Lookup arrays for vectorised validation, built once per import (or record)."""

    market_codes: pa.Array
    market_ids: npt.NDArray[np.int64]
    product_names: pa.Array
    product_ids: npt.NDArray[np.int64]
    product_cats: npt.NDArray[np.str_]
    item_names: pa.Array
    item_ids: npt.NDArray[np.int64]
    item_cats: npt.NDArray[np.str_]
    item_qualitative: npt.NDArray[np.bool_]
    items: dict[int, TestItem]
    stall_keys: pa.Array
    stall_ids: npt.NDArray[np.int64]
    instrument_only: npt.NDArray[np.int64]

    @classmethod
    def load(cls, markets: QuerySet[Organization]) -> Catalogue:
        market_rows = list(markets.values_list("credit_code", "pk"))
        products = list(Product.objects.all())
        items = list(TestItem.objects.all())
        product_names = [p.name for p in products] + [
            p.name_en.lower() for p in products if p.name_en
        ]
        product_index = list(range(len(products))) + [
            i for i, p in enumerate(products) if p.name_en
        ]
        item_names = [i.name for i in items] + [i.name_en.lower() for i in items if i.name_en]
        item_index = list(range(len(items))) + [i for i, it in enumerate(items) if it.name_en]
        stalls = list(
            Stall.objects.filter(market__in=markets).values_list("market_id", "booth_number", "pk")
        )
        return cls(
            market_codes=pa.array([str(code) for code, _pk in market_rows], pa.string()),
            market_ids=np.array([pk for _code, pk in market_rows], dtype=np.int64),
            product_names=pa.array(product_names, pa.string()),
            product_ids=np.array([products[i].pk for i in product_index] + [0], dtype=np.int64),
            product_cats=np.array([products[i].category for i in product_index] + [""]),
            item_names=pa.array(item_names, pa.string()),
            item_ids=np.array([items[i].pk for i in item_index] + [0], dtype=np.int64),
            item_cats=np.array([items[i].category for i in item_index] + ["-"]),
            item_qualitative=np.array(
                [items[i].direction in QUALITATIVE_DIRECTIONS for i in item_index] + [False]
            ),
            items={item.pk: item for item in items},
            stall_keys=pa.array([f"{m}|{b}" for m, b, _pk in stalls], pa.string()),
            stall_ids=np.array([pk for _m, _b, pk in stalls] + [0], dtype=np.int64),
            instrument_only=np.array(
                list(
                    MarketProfile.objects.filter(
                        organization__in=markets, instrument_only=True
                    ).values_list("organization_id", flat=True)
                ),
                dtype=np.int64,
            ),
        )


@dataclass
class Rules:
    """What the rules need besides the block: the catalogue and the way in."""

    catalogue: Catalogue
    default_market_id: int | None
    manual: bool  # entered by hand (form, file): instrument-only rooms refuse it
    now: datetime
    headers: Mapping[str, str]  # canonical column -> name the errors give (header, field)


@dataclass
class Checked:
    """A block's checked values, column-wise (meaningful only where no error was reported)."""

    texts: dict[str, pa.Array]  # trimmed text of every column
    market_ids: npt.NDArray[np.int64]
    product_ids: npt.NDArray[np.int64]
    item_ids: npt.NDArray[np.int64]
    stall_ids: pa.Array  # int64, null where no booth was given
    weights: pa.Array  # float64, null where not given
    values: npt.NDArray[np.float64]  # qualitative: 1 positive, 0 negative
    passed: npt.NDArray[np.bool_]
    tested: pa.Array  # timestamp, local zone
    sampled: pa.Array


def _decide_exactly(
    texts: pa.Array,
    numbers: npt.NDArray[np.float64],
    rows: npt.NDArray[np.bool_],
    item: TestItem,
) -> npt.NDArray[np.bool_]:
    """The engine's decision for the numeric rows of one item, exact as decimals: rounding to
    float is monotonic, so a float comparison is exact wherever the value and the threshold
    round to different floats; the ties are decided by the engine's exact ``decide``."""
    assert item.threshold is not None
    values = numbers[rows]
    passed = np.asarray(decide_array(values, item.direction, item.threshold), dtype=bool)
    ties = np.flatnonzero(values == float(item.threshold))
    if len(ties):
        written = texts.filter(pa.array(rows)).take(pa.array(ties)).to_pylist()
        for position, text in zip(ties, written, strict=True):
            decision = decide(str(text), item.direction, item.threshold)
            passed[position] = decision == Decision.PASS
    return passed


def check_block(
    cols: Mapping[str, pa.Array], rownum: npt.NDArray[np.int64], rules: Rules, report: Report
) -> Checked:
    """Check one block (see the module's docstring); every bad cell goes to ``report``."""
    n = len(rownum)
    cat = rules.catalogue

    def text(name: str) -> pa.Array:
        column = cols.get(name)
        if column is None or pa.types.is_timestamp(column.type):
            return pa.repeat(pa.scalar("", pa.string()), n)
        return pc.fill_null(pc.utf8_trim_whitespace(column), "")

    def fail(mask: npt.NDArray[np.bool_], name: str, message: str) -> None:
        if mask.any():
            report(rownum[mask], rules.headers.get(name, COLUMNS[name][0]), message)

    texts = {name: text(name) for name in COLUMNS}
    empty = {name: np_bool(pc.equal(texts[name], "")) for name in COLUMNS}
    for name in ("tested_at", "sampled_at"):
        column = cols.get(name)
        if column is not None and pa.types.is_timestamp(column.type):
            empty[name] = np_bool(pc.is_null(column))
    for name in REQUIRED:
        fail(empty[name], name, _("This field is required."))
    for name, (_en, _zh, length) in COLUMNS.items():
        fail(
            np_bool(pc.match_substring_regex(texts[name], CONTROL_CHARACTERS)),
            name,
            control_character_message(),
        )
        if length is not None:
            fail(
                np_bool(pc.greater(pc.utf8_length(texts[name]), length)),
                name,
                _("At most %(n)d characters.") % {"n": length},
            )

    # Market: the credit code given, or the default market when the column is empty.
    market_idx = lookup(texts["market_code"], cat.market_codes)
    market_ids = np.where(
        market_idx >= 0, cat.market_ids[np.maximum(market_idx, 0)] if len(cat.market_ids) else 0, 0
    )
    if rules.default_market_id is not None:
        market_ids = np.where(empty["market_code"], rules.default_market_id, market_ids)
    else:
        fail(empty["market_code"], "market_code", _("This field is required."))
    fail(
        ~empty["market_code"] & (market_idx < 0),
        "market_code",
        _("Unknown market, or a market you may not import tests for."),
    )
    if rules.manual and len(cat.instrument_only):
        fail(
            np.isin(market_ids, cat.instrument_only),
            "market_code",
            _("This test room must upload results from its instruments only (through the API)."),
        )
    market_ok = (market_idx >= 0) | (empty["market_code"] & (rules.default_market_id is not None))

    # Product and item from the catalogue (Chinese name, or English name in any case).
    product_idx = lookup(pc.utf8_lower(texts["product"]), cat.product_names)
    item_idx = lookup(pc.utf8_lower(texts["item"]), cat.item_names)
    fail(
        ~empty["product"] & (product_idx < 0),
        "product",
        _("Unknown product (not in the test catalogue)."),
    )
    fail(
        ~empty["item"] & (item_idx < 0), "item", _("Unknown test item (not in the test catalogue).")
    )
    product_ids = cat.product_ids[product_idx]
    item_ids = cat.item_ids[item_idx]
    known = (product_idx >= 0) & (item_idx >= 0)
    fail(
        known & (cat.product_cats[product_idx] != cat.item_cats[item_idx]),
        "item",
        _("This test item does not apply to products of this category."),
    )

    # Times: readable, not before the earliest plausible date, not in the future.
    earliest = earliest_test_time()
    too_early = _("The time is before %(date)s, the earliest plausible date.") % {
        "date": settings.ZHIZAO_EARLIEST_TEST_DATE.isoformat()
    }
    lowest = pa.scalar((earliest - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1))
    latest = rules.now + FUTURE_TOLERANCE
    highest = pa.scalar((latest - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1))
    parsed: dict[str, pa.Array] = {}
    epochs: dict[str, pa.Array] = {}
    for name in ("tested_at", "sampled_at"):
        column = cols.get(name)
        if column is not None and pa.types.is_timestamp(column.type):
            times = column
        else:
            times = parse_times(texts[name])
            fail(
                np_bool(pc.is_null(times)) & ~empty[name],
                name,
                _("Not a date and time (use YYYY-MM-DD HH:MM)."),
            )
        parsed[name], epochs[name] = times, _epoch_us(times)
        fail(np_bool(pc.less(epochs[name], lowest)), name, too_early)
    fail(
        np_bool(pc.greater(epochs["tested_at"], highest)),
        "tested_at",
        _("The test time is in the future."),
    )
    fail(
        np_bool(pc.greater(epochs["sampled_at"], epochs["tested_at"])),
        "sampled_at",
        _("Sampling cannot come after testing."),
    )

    # Batch weight: a plain finite number, 0 to the limit.
    weight_ok = np_bool(pc.match_substring_regex(texts["batch_kg"], NUMBER))
    fail(~empty["batch_kg"] & ~weight_ok, "batch_kg", _("Not a number."))
    weights = pc.cast(
        pc.if_else(pa.array(weight_ok), texts["batch_kg"], pa.scalar(None, pa.string())),
        pa.float64(),
    )
    weight_values = np.asarray(pc.fill_null(weights, 0.0).to_numpy(zero_copy_only=False))
    fail(weight_values < 0, "batch_kg", _("The batch weight cannot be negative."))
    fail(
        ~(weight_values <= BATCH_KG_LIMIT),
        "batch_kg",
        _("The batch weight must be at most %(limit)s kg.") % {"limit": f"{BATCH_KG_LIMIT:,.0f}"},
    )

    # Value under the item's rule, decided by the indicator engine.
    qualitative = cat.item_qualitative[item_idx]
    numeric_ok = np_bool(pc.match_substring_regex(texts["value"], NUMBER))
    lowered = pc.utf8_lower(texts["value"])
    positive_words = pa.array(sorted(POSITIVE_WORDS | {"1.0"}), pa.string())
    negative_words = pa.array(sorted(NEGATIVE_WORDS | {"0.0"}), pa.string())
    is_positive = lookup(lowered, positive_words) >= 0
    is_negative = lookup(lowered, negative_words) >= 0
    numbers = np.asarray(
        pc.cast(pc.if_else(pa.array(numeric_ok), texts["value"], "0"), pa.float64()).to_numpy(
            zero_copy_only=False
        )
    )
    bad_value = ~empty["value"] & np.where(qualitative, ~(is_positive | is_negative), ~numeric_ok)
    fail(bad_value & known, "value", _("This value cannot be read under the item's rule."))
    out_of_range = known & ~qualitative & numeric_ok & ~(np.abs(numbers) <= VALUE_LIMIT)
    fail(
        out_of_range,
        "value",
        _("The value must be a finite number between -%(limit)s and %(limit)s.")
        % {"limit": f"{VALUE_LIMIT:,.0f}"},
    )
    bad_value |= out_of_range
    values = np.where(qualitative, is_positive.astype(np.float64), numbers)
    passed = np.zeros(n, dtype=bool)
    decidable = known & ~bad_value & ~empty["value"]
    for item_id in np.unique(item_ids[decidable]):
        rows = decidable & (item_ids == item_id)
        item = cat.items[int(item_id)]
        if item.direction in QUALITATIVE_DIRECTIONS:
            passed[rows] = decide_array(is_positive[rows], item.direction)
        else:
            passed[rows] = _decide_exactly(texts["value"], numbers, rows, item)

    # Stated result must agree with the computed one.
    stated = pc.utf8_lower(texts["result"])
    says_pass = lookup(stated, pa.array(PASS_WORDS, pa.string())) >= 0
    says_fail = lookup(stated, pa.array(FAIL_WORDS, pa.string())) >= 0
    fail(
        ~empty["result"] & ~says_pass & ~says_fail,
        "result",
        _("The result must be pass (合格) or fail (不合格)."),
    )
    fail(
        decidable & ((says_pass & ~passed) | (says_fail & passed)),
        "result",
        _("The stated result contradicts the measured value under the item's rule."),
    )

    # Stall by booth number within the row's market.
    stall_key = pc.binary_join_element_wise(
        pc.cast(pa.array(market_ids), pa.string()), texts["booth"], "|"
    )
    stall_idx = lookup(stall_key, cat.stall_keys)
    fail(
        ~empty["booth"] & (stall_idx < 0) & market_ok,
        "booth",
        _("No stall with this booth number in this market."),
    )
    stall_ids = pa.array(np.where(empty["booth"], 0, cat.stall_ids[stall_idx]), pa.int64())
    stall_ids = pc.if_else(pa.array(empty["booth"]), pa.scalar(None, pa.int64()), stall_ids)

    return Checked(
        texts=texts,
        market_ids=market_ids,
        product_ids=product_ids,
        item_ids=item_ids,
        stall_ids=stall_ids,
        weights=weights,
        values=values,
        passed=passed,
        tested=parsed["tested_at"],
        sampled=parsed["sampled_at"],
    )


def check_samples(
    market_ids: npt.NDArray[np.int64],
    codes: pa.Array,
    product_ids: npt.NDArray[np.int64],
    item_ids: npt.NDArray[np.int64],
    rownum: npt.NDArray[np.int64],
    report: Report,
    header: str,
) -> npt.NDArray[np.int64]:
    """The batch rules over rows in any order (a whole file, or a sample's stored tests with a
    new one): the rows of one sample (market and code) share the product of its first row and
    test each item once. Returns each row's sample number (0, 1, … in order of first row)."""
    n = len(rownum)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    keys = pc.binary_join_element_wise(pc.cast(pa.array(market_ids), pa.string()), codes, "|")
    encoded = pc.dictionary_encode(keys)
    sample = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    order = np.argsort(rownum, kind="stable")
    # The first row (lowest row number) of each sample, and its product.
    _unique, first = np.unique(sample[order], return_index=True)
    first_rows = order[first]
    lead_product = np.zeros(int(sample.max()) + 1, dtype=np.int64)
    lead_product[sample[first_rows]] = product_ids[first_rows]
    other_product = product_ids != lead_product[sample]
    if other_product.any():
        report(
            rownum[other_product],
            header,
            _("The tests of one sample must be of one product (its first test's)."),
        )
    pair = sample * (int(item_ids.max(initial=0)) + 1) + item_ids
    _pairs, first_pair = np.unique(pair[order], return_index=True)
    repeated = np.ones(n, dtype=bool)
    repeated[order[first_pair]] = False
    if repeated.any():
        report(
            rownum[repeated],
            header,
            _("This sample already has a test of this item."),
        )
    return sample


# --- One record: a one-row block ---------------------------------------------------------------

# Canonical column -> the record field (service, form and API name) its errors are reported on.
RECORD_FIELD_OF = {
    "record_id": "client_record_id",
    "market_code": "market",
    "booth": "stall",
    "tester": "tester_name",
}


def _as_text(value: object, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Product | TestItem):
        return value.name
    if isinstance(value, Stall):
        return value.booth_number
    if isinstance(value, float | int) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return str(value)


def check_record(
    market: Organization, values: Mapping[str, Any], *, manual: bool, catalogue: Catalogue
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Check one record (values keyed by record field: product, item, value, tested_at, stall,
    …) with the same rules as a file row. Returns (errors by field, checked values)."""
    errors: dict[str, list[str]] = {}

    def report(_rows: npt.NDArray[np.int64], column: str, message: str) -> None:
        if message not in errors.get(column, []):
            errors.setdefault(column, []).append(message)

    cols: dict[str, pa.Array] = {}
    for canonical in COLUMNS:
        field = RECORD_FIELD_OF.get(canonical, canonical)
        value = values.get(field) if canonical != "market_code" else None  # market: given
        if canonical in ("tested_at", "sampled_at") and (
            value is None or isinstance(value, datetime)
        ):
            if isinstance(value, datetime) and timezone.is_naive(value):
                report(np.zeros(1, np.int64), field, _("Give a time zone for the test time."))
                value = None
            cols[canonical] = typed_times([value])
            continue
        if canonical in ("product", "item") and (
            (isinstance(value, int) and 0 < value < 2**63)
            or (isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 19)
        ):
            model = Product if canonical == "product" else TestItem
            value = (
                model.objects.filter(pk=int(value)).values_list("name", flat=True).first() or value
            )
        cols[canonical] = pa.array([_as_text(value, field)], pa.string())
    headers = {canonical: RECORD_FIELD_OF.get(canonical, canonical) for canonical in COLUMNS}
    rules = Rules(
        catalogue=catalogue,
        default_market_id=market.pk,
        manual=manual,
        now=timezone.now(),
        headers=headers,
    )
    pre_errors = set(errors)
    checked = check_block(cols, np.zeros(1, np.int64), rules, report)
    required = _("This field is required.")
    for field in pre_errors:
        if required in errors[field] and len(errors[field]) > 1:
            errors[field].remove(required)
    if errors:
        return errors, {}
    stall_id = checked.stall_ids[0].as_py()
    weight = checked.weights[0].as_py()
    return errors, {
        "tested_at": checked.tested[0].as_py(),
        "sampled_at": checked.sampled[0].as_py(),
        "product_id": int(checked.product_ids[0]) or None,
        "item_id": int(checked.item_ids[0]) or None,
        "stall_id": stall_id,
        "batch_kg": weight,
        "value": float(checked.values[0]),
        "passed": bool(checked.passed[0]),
        **{
            field: checked.texts[canonical][0].as_py()
            for canonical, field in (
                ("sample_code", "sample_code"),
                ("origin", "origin"),
                ("supplier", "supplier"),
                ("tester", "tester_name"),
                ("instrument_id", "instrument_id"),
            )
        },
    }
