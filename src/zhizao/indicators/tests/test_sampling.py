"""Sampling verdicts and incident grades in the engine (no database)."""

from __future__ import annotations

import pytest

from zhizao.indicators.errors import InvalidValueError
from zhizao.indicators.incidents import GradeThresholds, suggest_grade, years_without
from zhizao.indicators.sampling import batch_conforms, item_conforms, parse_limit


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("0.5", "≤0.5", True),
        ("0.51", "≤0.5", False),
        ("0.5", "<0.5", False),
        ("90", "≥90", True),
        ("89.9", ">=90", False),
        ("0", ">0", False),
        ("1.0", "0.5~1.5", True),
        ("1.6", "0.5-1.5", False),
        ("0.3", "0.5", True),  # a bare number is a maximum
        ("未检出", "≤0.01", True),
        ("未检出", "≥1", None),
        ("合格", "≤0.5", None),
        ("0.3", "应符合规定", None),
    ],
)
def test_item_verdicts(value, limit, expected):
    assert item_conforms(value, limit) is expected


def test_limits_and_batches():
    with pytest.raises(InvalidValueError):
        parse_limit("2~1")
    assert parse_limit("") is None
    assert batch_conforms([True, True])
    assert not batch_conforms([True, False])
    with pytest.raises(InvalidValueError):
        batch_conforms([])


FOOD = GradeThresholds(deaths=(1, 10, 30), injured=(50, 100, 300), affected=(100, 300, 1000))


@pytest.mark.parametrize(
    ("figures", "grade"),
    [
        ({}, "general"),
        ({"injured": 49}, "general"),
        ({"injured": 50}, "large"),
        ({"deaths": 10}, "major"),
        ({"injured": 60, "deaths": 30}, "especially_major"),
        ({"loss_10k_yuan": 1e9}, "general"),  # not a criterion here
    ],
)
def test_grade_suggestion(figures, grade):
    assert suggest_grade(FOOD, **figures) == grade


def test_negative_figures_and_years_without():
    with pytest.raises(InvalidValueError):
        suggest_grade(FOOD, deaths=-1)
    assert years_without([], 2021, 2017) == 5
    assert years_without([2018], 2021, 2017) == 3
    assert years_without([2021], 2021, 2017) == 0
    assert years_without([2022], 2021, 2017) == 5
