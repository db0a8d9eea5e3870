"""ZHIZAO_EARLIEST_TEST_DATE is read from the environment by the strict helper ``env_date``."""

from datetime import date

import pytest

from zhizao.config import ConfigError, env_date

NAME = "ZHIZAO_EARLIEST_TEST_DATE"
FIRST = date(2000, 1, 1)


def test_the_default_applies_when_unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_date(NAME, FIRST, minimum=FIRST) == FIRST


def test_a_date_is_read(monkeypatch):
    monkeypatch.setenv(NAME, " 2015-06-01 ")
    assert env_date(NAME, FIRST, minimum=FIRST) == date(2015, 6, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2015-13-01", "is not a date; use YYYY-MM-DD"),
        ("yesterday", "不是日期"),
        ("1999-12-31", "must lie between 2000-01-01"),
    ],
)
def test_a_malformed_or_too_early_date_stops_start_up(monkeypatch, value, message):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ConfigError, match=message):
        env_date(NAME, FIRST, minimum=FIRST)
