"""ZHIZAO_REPORT_DATE (decision 0005) is read by the strict helper ``env_month_day`` and gives
``core.figures.report_date`` / ``report_year``."""

from datetime import date

import pytest

from zhizao.config import ConfigError, env_month_day
from zhizao.core.figures import report_date, report_year

NAME = "ZHIZAO_REPORT_DATE"


def test_the_default_applies_when_unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_month_day(NAME, (9, 30)) == (9, 30)


def test_a_day_is_read(monkeypatch):
    monkeypatch.setenv(NAME, " 03-31 ")
    assert env_month_day(NAME, (9, 30)) == (3, 31)


@pytest.mark.parametrize("value", ["02-29", "13-01", "9/30", "2022-09-30", "tomorrow"])
def test_a_malformed_day_stops_start_up_in_both_languages(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ConfigError, match=r"use MM-DD.*请使用 MM-DD"):
        env_month_day(NAME, (9, 30))


def test_the_report_date_is_in_the_following_year(settings):
    settings.ZHIZAO_REPORT_DATE = (3, 31)
    assert report_date(2021) == date(2022, 3, 31)
    assert report_year(date(2022, 3, 31)) == 2021
    assert report_year(date(2022, 4, 1)) == 2022
    assert report_year(date(2022, 1, 1)) == 2021
