"""The dashboard's 5-year breakdown lists the five calendar years ending with the report year,
and the detection-floor flag shows numbers that agree with its unrounded comparison (issue 19)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation

from zhizao.rapidtest import figures, rollups
from zhizao.rapidtest.tests.test_figures import make

pytestmark = pytest.mark.django_db


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def test_the_five_year_breakdown_lists_exactly_five_years(rt):
    make(rt, 2, tested_at=at(2016, 12))  # one month of a sixth year
    for year in (2017, 2018, 2020, 2021):  # 2019: no test, no row
        make(rt, 3, tested_at=at(year, 6))
    make(rt, 1, passed=False, value=70, tested_at=at(2021, 7))
    rollups.rebuild()
    tables, _overall = figures.dashboard_tables(rt.p.officer)
    years = [(row["label"], row["total"], row["failed"]) for row in tables["year"]]
    assert years == [
        ("2017", 3, 0),
        ("2018", 3, 0),
        ("2020", 3, 0),
        ("2021", 4, 1),
    ]
    page = rt.p.client("officer").get("/rapidtest/dashboard/").content.decode()
    section = page.split('id="table-year"')[1].split("</section>")[0]
    assert "2016" not in section
    assert section.count("<tr>") == 5  # the header and the four years with tests


def test_distinct_percents_agree_with_the_comparison():
    assert figures.distinct_percents(8 / 801 * 100, 1.0) == ("0.999", "1.000")
    assert figures.distinct_percents(0.5, 1.0) == ("0.50", "1.00")
    below, above = figures.distinct_percents(99.99999 / 100, 1.0)
    assert float(below) < float(above)


def test_the_floor_flag_does_not_contradict_itself(rt, settings):
    settings.ZHIZAO_RAPIDTEST_DETECTION_FLOOR = 0.01
    now = timezone.now()
    make(rt, 793, value=10, tested_at=now - timedelta(days=5))
    make(rt, 8, value=70, passed=False, tested_at=now - timedelta(days=4))
    with translation.override("zh-hans"):
        (flag,) = figures.detection_floor_flags(rt.p.officer, now=now)
        text = str(flag.explanation)
    assert "不合格 8 批次（0.999%），低于检出率下限 1.000%" in text, text
    assert "检测 801 批次" in text
