"""The indicator registry end to end: every code out of ``zhizao figures --json`` on the demo
city with the article's values, the API and its OpenAPI schema, published figures only for
anonymous readers, the catalogue in both languages, the front page's year, and the generated
``docs/figures.md`` being current.

The demo here is small (``ZHIZAO_RAPIDTEST_DEMO_RECORDS`` = 4,000 batches instead of 1.1
million): counts that do not depend on the demo's size are asserted exactly; the pass rate and
the farmers' market share, drawn at random per batch around the article's 98.75% and 70%, are
asserted to equal the proportion counted from the records and to lie within four standard
errors of the article's value (at 1.1 million records that is ±0.04 points)."""

from __future__ import annotations

import dataclasses
import io
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from zhizao.cli import main as cli_main
from zhizao.core import figures
from zhizao.core.figures import Column, Direction, Indicator, Measure, Period
from zhizao.core.models import Region, User
from zhizao.rapidtest.models import TestRecord

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[4] / "docs" / "figures.md"
DEMO_RECORDS = 4000

# The article's figures (株洲市), by code.
ARTICLE_2021 = {
    "rapidtest.rooms": 68,
    "rapidtest.coverage_by_count": 73.9,  # 68 rooms in 92 markets
    "awards.china.winners": 1,
    "awards.china.nominations": 1,
    "honours.china_award": 1,
    "honours.china_nomination": 1,
    "honours.national_benchmark": 2,
    "honours.hunan_benchmark": 5,
    "honours.luban": 4,
    "honours.furong": 49,
    "honours.madrid": 43,
    "honours.well_known": 41,
    "honours.gi_product": 1,
    "honours.gi_cert": 19,
    "honours.governor_nomination": 0,
}
# The report on 2021 counts what the city holds up to its report date (30 September 2022, as
# the article does): the Governor's award tally (7 awards: 1st, 4th, 5th, 6th, 7th editions)
# includes the 7th edition, announced on 16 September 2022.
AWARDS_2021 = {
    "awards.governor.winners": 7,
    "awards.governor.editions_won": 5,
    "awards.governor.organizations": 6,
    "awards.governor.individuals": 1,
    "awards.governor.rank_in_province": 2,
    "awards.mayor.winners": 18,
    "honours.governor_award": 7,
    "honours.mayor_award": 18,
}
# With a report date before the 7th edition's announcement, the 2021 report leaves it out.
AWARDS_2021_BY_JUNE = {
    "awards.governor.winners": 5,
    "awards.governor.editions_won": 4,
    "awards.governor.organizations": 4,
    "awards.governor.individuals": 1,
    "honours.governor_award": 5,
}
ALL_CODES = {
    "rapidtest.rooms",
    "rapidtest.batches_5y",
    "rapidtest.pass_rate_5y",
    "rapidtest.farmers_market_share",
    "rapidtest.coverage_by_count",
    "rapidtest.coverage_by_volume",
    "rapidtest.pass_rate",
    "awards.governor.editions_won",
    "awards.governor.organizations",
    "awards.governor.individuals",
    "awards.governor.rank_in_province",
    "awards.china.winners",
    "awards.china.nominations",
    "awards.mayor.winners",
    *(f"honours.{kind}" for kind in ("luban", "furong", "madrid", "well_known", "gi_product")),
    *(f"honours.{kind}" for kind in ("gi_cert", "national_benchmark", "hunan_benchmark")),
}


@pytest.fixture
def demo(settings):
    settings.ZHIZAO_RAPIDTEST_DEMO_RECORDS = DEMO_RECORDS
    call_command("demo", stdout=io.StringIO())
    return Region.objects.get(code="430200")


def figures_json(*args: str) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    call_command("figures", *args, "--json", stdout=out)
    parsed: dict[str, dict[str, Any]] = json.loads(out.getvalue())
    return parsed


def within(value: object, proportion: float, expected: float, n: int) -> bool:
    """``value`` (percent) is the counted ``proportion`` and lies within four standard errors of
    ``expected`` (a fraction) for ``n`` draws."""
    assert isinstance(value, float)
    error = math.sqrt(expected * (1 - expected) / n) * 100
    return round(proportion * 100, 1) == round(value, 1) and abs(value - expected * 100) < 4 * error


def test_every_code_with_the_articles_values(demo):
    found = figures_json("--city", "株洲市", "--year", "2021")
    assert set(found) >= ALL_CODES
    assert set(found) == {indicator.code for indicator in figures.indicators()}
    for code, expected in ARTICLE_2021.items():
        assert found[code]["value"] == expected, code
    for code, expected in AWARDS_2021.items():
        assert found[code]["value"] == expected, code
    assert found["rapidtest.coverage_by_volume"]["value"] > 80  # "over 80%" of circulation
    # All the demo's rapid tests lie in the five years 2017–2021. Figures count batches
    # (samples: distinct market and sample code, failed if any test failed); their ``records``
    # are the tests the drill-down lists.
    records = TestRecord.objects.all()
    samples = records.values("market_id", "sample_code").distinct()
    failed_samples = records.filter(passed=False).values("market_id", "sample_code").distinct()
    assert found["rapidtest.batches_5y"]["value"] == DEMO_RECORDS == samples.count()
    assert found["rapidtest.batches_5y"]["records"] == records.count() > DEMO_RECORDS
    assert records.filter(tested_at__year__lt=2017).count() == 0
    passed = 1 - failed_samples.count() / DEMO_RECORDS
    assert within(found["rapidtest.pass_rate_5y"]["value"], passed, 0.9875, DEMO_RECORDS)
    assert found["rapidtest.pass_rate_5y"]["unit"] == "%"
    farmers = samples.filter(market__kind="farmers_market").count() / DEMO_RECORDS
    assert within(found["rapidtest.farmers_market_share"]["value"], farmers, 0.70, DEMO_RECORDS)
    year = records.filter(tested_at__gte="2021-01-01T00:00+08:00")
    assert found["rapidtest.pass_rate"]["records"] == year.count() > DEMO_RECORDS / 6
    for code in ("rapidtest.rooms", "rapidtest.pass_rate_5y", "honours.luban"):
        assert found[code]["synthetic"] is True, code
    assert found["awards.china.winners"]["synthetic"] is False  # the article's own result
    assert found["awards.governor.rank_in_province"]["synthetic"] is True  # other cities'
    assert found["awards.governor.winners"]["url"].endswith("year=2021")


def test_the_report_date_decides_what_the_year_counts(demo, settings):
    settings.ZHIZAO_REPORT_DATE = (6, 30)  # before the 7th edition's 16 September 2022
    found = figures_json("--city", "株洲市", "--year", "2021")
    for code, expected in AWARDS_2021_BY_JUNE.items():
        assert found[code]["value"] == expected, code
    later = figures_json("--city", "株洲市", "--year", "2022", "--code", "awards.governor")
    assert later["awards.governor.winners"]["value"] == 7
    records = TestRecord.objects.all()
    assert (
        figures_json("--year", "2022", "--code", "rapidtest.pass_rate_5y")[
            "rapidtest.pass_rate_5y"
        ]["records"]
        == records.filter(tested_at__gte="2018-01-01T00:00+08:00").count()
    )


def test_the_table_and_the_front_page_year(demo):
    out = io.StringIO()
    call_command("figures", "--city", "株洲市", "--year", "2021", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "株洲市 430200 · 2021"
    assert any(line.startswith("rapidtest.rooms ") and " 68 " in line for line in lines)
    page = Client().get("/").content.decode()
    assert "以下为 2021 年数据（已公布数据的最近年份）。" in page
    assert "/figures/rapidtest.pass_rate_5y/records/?city=430200&amp;year=2021" in page


def test_an_unknown_city_exits_with_status_2(demo, capsys):
    with pytest.raises(CommandError) as error:
        call_command("figures", "--city", "不存在市", "--year", "2021")
    assert error.value.returncode == 2
    assert "unknown city '不存在市'" in str(error.value)
    with pytest.raises(SystemExit) as exit_status:
        cli_main(["figures", "--city", "999999"])
    assert exit_status.value.code == 2
    assert "未知城市" in capsys.readouterr().err


def test_the_api_gives_the_same_figures(demo):
    found = figures_json("--city", "430200", "--year", "2021")
    response = Client().get("/api/v1/figures?city=430200&year=2021")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(found)
    for code, figure in body.items():
        assert {k: v for k, v in figure.items() if k != "computed_at"} == {
            k: v for k, v in found[code].items() if k != "computed_at"
        }
    prefixed = Client().get("/api/v1/figures?city=株洲市&year=2021&code=rapidtest.pass").json()
    assert set(prefixed) == {"rapidtest.pass_rate", "rapidtest.pass_rate_5y"}
    assert Client().get("/api/v1/figures?city=000000&year=2021").status_code == 404
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/figures" in schema["paths"]
    assert "FigureOut" in json.dumps(schema["components"])


def _unpublished() -> Indicator:
    return Indicator(
        code="test.unpublished",
        name=("未公布", "Unpublished"),
        definition=("测试用。", "For the test."),
        unit="个",
        standard="none",
        direction=Direction.NEITHER,
        period=Period.YEAR,
        measure=lambda region, year: Measure(1, 1),
        records=lambda region, year: Region.objects.filter(pk=region.pk),
        columns=(Column("name", "name"),),
        published=False,
    )


def test_anonymous_readers_get_published_figures_only(demo):
    figures.register(_unpublished())
    try:
        anonymous = Client().get("/api/v1/figures?year=2021").json()
        assert "test.unpublished" not in anonymous
        assert "rapidtest.rooms" in anonymous
        staff = Client()
        staff.force_login(User.objects.get(username="officer"))
        assert staff.get("/api/v1/figures?year=2021").json()["test.unpublished"]["value"] == 1
        assert Client().get("/figures/test.unpublished/records/").status_code == 404
        assert staff.get("/figures/test.unpublished/records/?year=2021").status_code == 200
        assert "test.unpublished" not in Client().get("/figures/").content.decode()
    finally:
        figures.unregister("test.unpublished")


def test_a_code_is_registered_once():
    indicator = _unpublished()
    try:
        figures.register(indicator, indicator)  # the same declaration twice is harmless
        with pytest.raises(ValueError, match="registered twice"):
            figures.register(dataclasses.replace(indicator, unit="%"))
    finally:
        figures.unregister("test.unpublished")


@pytest.mark.parametrize(
    ("language", "title", "name"),
    [
        ("zh-hans", "株洲市 2021 年数据", "鲁班奖"),
        ("en", "Figures of Zhuzhou, 2021", "Luban Award"),
    ],
)
def test_the_catalogue_in_both_languages(demo, language, title, name):
    client = Client()
    client.cookies["django_language"] = language
    page = client.get("/figures/?year=2021").content.decode()
    assert title in page
    assert name in page
    for indicator in figures.indicators():
        assert f'data-code="{indicator.code}"' in page
        assert indicator.url(demo, 2021).replace("&", "&amp;") in page


def test_the_committed_document_is_current():
    out = io.StringIO()
    call_command("figures", "--doc", stdout=out)
    assert DOC.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/figures.md is out of date: run `zhizao figures --doc > docs/figures.md`"
    )
    for code in ALL_CODES:
        assert f"`{code}`" in out.getvalue()


def test_the_drill_down_url_is_the_pages_route(demo):
    for indicator in figures.indicators():
        path = reverse("core:figure_records", args=[indicator.code])
        assert indicator.url(demo, 2021) == f"{path}?city=430200&year=2021"


def test_percent_is_a_decimal_in_percent_rounded_per_gbt8170():
    assert figures.percent(7, 8, 2) == Decimal("87.50")
    assert figures.percent(1, 800, 2) == Decimal("0.12")  # 0.125: round half to even
    assert figures.percent(3, 800, 2) == Decimal("0.38")  # 0.375


def test_the_figures_pages_read_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    """However many records there are: a handful of queries per figure, a constant number for
    a page of a drill-down (no query per listed record)."""
    client = Client()
    with django_assert_max_num_queries(3 * len(figures.indicators()) + 10):
        assert client.get("/figures/?year=2021").status_code == 200
    for code in ("rapidtest.pass_rate_5y", "rapidtest.rooms", "awards.governor.rank_in_province"):
        with django_assert_max_num_queries(16):
            assert client.get(figures.get(code).url(demo, 2021)).status_code == 200
