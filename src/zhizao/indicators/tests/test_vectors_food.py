"""GB/T 5009.199-2003 enzyme inhibition vectors (``food_enzyme_inhibition.json``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from zhizao.indicators import rapidtest
from zhizao.indicators.errors import InvalidValueError
from zhizao.indicators.rapidtest import Decision

from ._vectors import load

CASES: list[dict[str, Any]] = load("food_enzyme_inhibition.json")["cases"]


@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"{c['dA0_control_3min']}/{c['dAt_sample_3min']}"
)
def test_enzyme_case(case: dict[str, Any]) -> None:
    screen = rapidtest.enzyme_screen(case["dA0_control_3min"], case["dAt_sample_3min"])
    assert screen.rate_rounded == case["inhibition_rate_pct"]
    assert screen.positive == case["screen_result"].startswith("positive")


def test_enzyme_vectorised() -> None:
    control = np.array([c["dA0_control_3min"] for c in CASES])
    sample = np.array([c["dAt_sample_3min"] for c in CASES])
    positive = rapidtest.enzyme_positive(control, sample)
    assert positive.tolist() == [c["screen_result"].startswith("positive") for c in CASES]
    rates = rapidtest.inhibition_rate(control, sample, negative_rate="zero")
    assert rates.min() == 0.0


def test_threshold_is_decided_exactly() -> None:
    # In floats (0.12 - 0.066) / 0.12 * 100 is 44.99999999999999: a 45% rule must still say
    # positive, because the exact rate is 45%.
    assert (0.12 - 0.066) / 0.12 * 100 < 45
    assert rapidtest.enzyme_screen(0.12, 0.066, threshold_pct=45).positive
    assert rapidtest.enzyme_screen(0.3, 0.15).positive
    assert not rapidtest.enzyme_screen(0.3, 0.1501).positive


def test_invalid_control() -> None:
    with pytest.raises(InvalidValueError):
        rapidtest.enzyme_screen(0.0, 0.1)


@pytest.mark.parametrize(
    ("value", "direction", "threshold", "expected"),
    [
        ("0.1", "le", "0.1", Decision.PASS),
        ("0.1", "lt", "0.1", Decision.FAIL),
        ("0.30000000000000004", "le", "0.3", Decision.FAIL),
        (0.1 + 0.2, "le", "0.3", Decision.FAIL),
        ("5", "ge", "5", Decision.PASS),
        ("5", "gt", "5", Decision.FAIL),
        ("阴性", "negative", None, Decision.PASS),
        ("positive", "negative", None, Decision.FAIL),
        ("阳性", "positive", None, Decision.PASS),
    ],
)
def test_catalogue_decision(
    value: str | float, direction: str, threshold: str | None, expected: Decision
) -> None:
    assert rapidtest.decide(value, direction, threshold) is expected


def test_catalogue_decision_vectorised() -> None:
    values = np.array([0.05, 0.1, 0.2, np.nan])
    assert rapidtest.decide_array(values, "le", 0.1).tolist() == [True, True, False, False]
    assert rapidtest.decide_array(["阴性", "阳性"], "negative").tolist() == [True, False]
    assert rapidtest.decide_array(np.array([True, False]), "positive").tolist() == [True, False]
    with pytest.raises(InvalidValueError):
        rapidtest.decide_array(values, "le")
    with pytest.raises(InvalidValueError):
        rapidtest.decide("x", "le", "1")
    with pytest.raises(InvalidValueError):
        rapidtest.decide("1", "sideways", "1")
