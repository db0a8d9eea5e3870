"""Property tests (Hypothesis): IAQI monotone, continuous at breakpoints, exact; composite
index additive over pollutants."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zhizao.indicators import air, air_eval
from zhizao.indicators.air import BREAKPOINTS, BreakpointColumn, Indicator
from zhizao.indicators.editions import AirEdition
from zhizao.indicators.limits import COMPOSITE_POLLUTANTS
from zhizao.indicators.rates import exact

editions = st.sampled_from(list(AirEdition))
indicators = st.sampled_from(list(Indicator))


def _reference(column: BreakpointColumn, value: Fraction, pre_round: bool) -> int | None:
    """Textbook HJ 633 IAQI with exact fractions (None above the top breakpoint)."""
    if pre_round:
        quantum = Fraction(1, 10**column.decimals)
        value = round(value / quantum) * quantum  # Python's round() on Fraction: half to even
    if value > column.top:
        return None
    points = list(zip(column.breakpoints, column.iaqi_steps, strict=True))
    for (c_lo, i_lo), (c_hi, i_hi) in itertools.pairwise(points):
        if c_lo <= value <= c_hi:
            exact = Fraction(i_hi - i_lo, c_hi - c_lo) * (value - c_lo) + i_lo
            return math.ceil(exact)
    raise AssertionError(value)


@given(
    editions,
    indicators,
    st.decimals(min_value=0, max_value=4000, places=3, allow_nan=False, allow_infinity=False),
)
@settings(max_examples=400)
def test_iaqi_equals_exact_fraction_reference(
    edition: AirEdition, indicator: Indicator, value: Decimal
) -> None:
    column = BREAKPOINTS[edition][indicator]
    expected = _reference(column, Fraction(value), air.PRE_ROUNDS[edition])
    got = air.iaqi_value(indicator, float(value), edition=edition, beyond_table=None)
    if expected is None:
        above = column.above_top
        assert got == (None if above is None or math.isnan(above) else int(above))
    else:
        assert got == expected


@given(
    editions,
    indicators,
    st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), min_size=2, max_size=50),
)
def test_iaqi_monotone_non_decreasing(
    edition: AirEdition, indicator: Indicator, values: list[float]
) -> None:
    column = BREAKPOINTS[edition][indicator]
    if column.above_top is not None and math.isnan(column.above_top):
        values = [min(v, column.top) for v in values]  # 2012 SO2 1 h / O3 8 h: no IAQI above
    ordered = np.sort(np.array(values))
    result = air.iaqi(indicator, ordered, edition=edition)
    assert not np.isnan(result).any()
    assert np.all(np.diff(result) >= 0)


@given(editions, indicators, st.data())
def test_iaqi_continuous_at_breakpoints(
    edition: AirEdition, indicator: Indicator, data: st.DataObject
) -> None:
    column = BREAKPOINTS[edition][indicator]
    k = data.draw(st.integers(min_value=1, max_value=len(column.breakpoints) - 2))
    bp, step = column.breakpoints[k], column.iaqi_steps[k]
    # Both adjacent segments give the breakpoint IAQI at the breakpoint.
    below = (column.breakpoints[k - 1], column.iaqi_steps[k - 1])
    above = (column.breakpoints[k + 1], column.iaqi_steps[k + 1])
    left = Fraction(step - below[1], bp - below[0]) * (bp - below[0]) + below[1]
    right = Fraction(above[1] - step, above[0] - bp) * 0 + step
    assert left == right == step
    assert air.iaqi_value(indicator, bp, edition=edition) == step
    # Approaching from either side the IAQI moves by at most the rounding step.
    eps = data.draw(st.floats(min_value=1e-6, max_value=0.04))
    lower = air.iaqi_value(indicator, bp - eps, edition=edition)
    upper = air.iaqi_value(indicator, bp + eps, edition=edition)
    assert lower == step
    assert upper in (step, step + 1)
    if air.PRE_ROUNDS[edition]:
        assert upper == step  # 2026 rounds bp ± eps back to bp first
    else:
        assert upper == step + 1


@given(
    st.fixed_dictionaries(
        dict.fromkeys(
            COMPOSITE_POLLUTANTS, st.decimals(min_value=0, max_value=500, places=2).map(float)
        )
    ),
    st.data(),
    st.sampled_from(sorted(air_eval.COMPOSITE_SCHEMES)),
)
def test_composite_index_additive_over_pollutants(
    stats: dict[str, float], data: st.DataObject, scheme: str
) -> None:
    keys = sorted(stats)
    split = data.draw(st.integers(min_value=1, max_value=len(keys) - 1))
    first = {key: stats[key] for key in keys[:split]}
    second = {key: stats[key] for key in keys[split:]}
    whole = air_eval.composite_index(stats, scheme)
    a = air_eval.composite_index(first, scheme)
    b = air_eval.composite_index(second, scheme)
    chosen = air_eval.COMPOSITE_SCHEMES[scheme]
    assert whole.total_exact == sum(
        exact(chosen.weights[key]) * exact(value) / exact(chosen.denominators[key])
        for key, value in stats.items()
    )
    assert whole.parts == a.parts | b.parts
    assert math.isclose(sum(whole.parts.values()), whole.total, rel_tol=1e-12, abs_tol=1e-12)
    # A sum over some of the six pollutants is not a composite index.
    assert a.total_exact is None
    assert math.isnan(b.total)
    assert sorted(a.missing + b.missing) == sorted(COMPOSITE_POLLUTANTS)


@given(
    editions,
    st.lists(st.one_of(st.floats(min_value=0, max_value=700), st.just(math.nan)), max_size=300),
)
def test_vectorised_equals_scalar(edition: AirEdition, values: list[float]) -> None:
    result = air.iaqi(Indicator.PM2_5_24H, values, edition=edition)
    for value, got in zip(values, result, strict=True):
        scalar = air.iaqi_value(
            Indicator.PM2_5_24H, None if math.isnan(value) else value, edition=edition
        )
        assert (scalar is None and math.isnan(got)) or scalar == got


def test_parallel_chunks_equal_single_thread() -> None:
    rng = np.random.default_rng(7)
    values = rng.gamma(2.0, 40.0, 3_000_000)
    values[::97] = np.nan
    values[::89] = np.round(values[::89])
    for edition in AirEdition:
        one = air.iaqi(Indicator.PM2_5_24H, values, edition=edition, threads=1)
        two = air.iaqi(Indicator.PM2_5_24H, values, edition=edition, threads=2)
        np.testing.assert_array_equal(one, two)
