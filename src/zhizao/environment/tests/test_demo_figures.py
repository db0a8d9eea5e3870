"""The demo city's environmental figures out of ``zhizao figures`` (computed by the engine from
the generated hours and samples) against the article, within the issue's tolerances, with the
drill-down from a figure to its days and from a day to its station-hours.

The test settings generate the article's two years only (2013 and 2021); each year is generated
on its own, so these are the same hours as in the full 2013–2021 demo."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.environment.models import AirHour, CityAirDay, Station

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", "--only", "core", stdout=io.StringIO())
    call_command("demo", "--only", "environment", stdout=io.StringIO())


def figures_json(year: int, prefix: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "figures", "--city", "株洲市", "--year", str(year), "--code", prefix, "--json", stdout=out
    )
    parsed: dict[str, Any] = json.loads(out.getvalue())
    return parsed


def test_the_articles_air_figures_from_the_hours(demo):
    y2013, y2021 = figures_json(2013, "air."), figures_json(2021, "air.")
    assert abs(y2013["air.good_days"]["value"] - 214) <= 3
    assert abs(y2021["air.good_days"]["value"] - 310) <= 3
    assert abs(y2013["air.composite_index"]["value"] - 6.93) <= 0.05
    assert abs(y2021["air.composite_index"]["value"] - 3.90) <= 0.05
    for key, fall in {
        "pm2_5": -48.1,
        "pm10": -47.5,
        "so2": -85.4,
        "no2": -27.5,
        "co": -56.0,
    }.items():
        assert abs(y2021[f"air.{key}.change_vs_2013"]["value"] - fall) <= 1, key
    # The 2013 data has invalid days (platform outages), so the ratio rose by 25.9 points.
    assert y2013["air.valid_days"]["value"] < 365
    assert y2021["air.good_day_ratio.change_vs_2013"]["value"] == pytest.approx(25.9, abs=0.1)
    ratio = y2021["air.good_day_ratio"]["value"] - y2013["air.good_day_ratio"]["value"]
    assert ratio == pytest.approx(y2021["air.good_day_ratio.change_vs_2013"]["value"], abs=0.1)
    for code in ("air.good_days", "air.composite_index", "air.pm2_5.change_vs_2013"):
        assert y2021[code]["synthetic"] is True
    # The good days are the days listed in the drill-down, each a valid day with AQI ≤ 100.
    city = Region.objects.get(code="430200")
    days = figures.get("air.good_days").records(city, 2021)
    assert days.count() == y2021["air.good_days"]["value"] == y2021["air.good_days"]["records"]
    assert not days.filter(aqi__gt=100).exists()
    assert CityAirDay.objects.filter(day__year=2021).count() == 365
    assert AirHour.objects.filter(day__year=2021).count() == 365 * 24 * Station.objects.count()


def test_the_articles_water_figures_from_the_samples(demo):
    found = figures_json(2021, "water.")
    assert found["water.XJ-ZT.class"]["value"] == 2  # class II
    assert {found[f"water.{code}.class"]["value"] for code in ("XJ-BS", "XJ-MJH")} == {2}
    for code in (
        "water.sections_meeting_target",
        "water.drinking_source_compliance",
        "water.tap_pass_rate",
        "water.tap_treated_pass_rate",
        "water.tap_network_pass_rate",
        "water.effluent_pass_rate",
    ):
        assert found[code]["value"] == 100.0, code
        assert found[code]["records"] > 0
        assert found[code]["synthetic"] is True


def test_drill_down_from_good_days_to_a_days_station_hours(demo):
    client = Client()
    city = Region.objects.get(code="430200")
    url = figures.get("air.good_days").url(city, 2021)
    page = client.get(url).content.decode()
    assert 'data-count="310"' in page
    day = figures.get("air.good_days").records(city, 2021).first()
    link = f"/environment/air/430200/{day.day.isoformat()}/"
    assert link in page
    hours = client.get(link).content.decode()
    assert hours.count('class="station-hour"') == 24 * Station.objects.count()
    assert f'AQI <strong class="day-aqi">{day.aqi}</strong>' in hours
    air = client.get("/environment/air/?city=430200&year=2021").content.decode()
    assert "calendar-data" in air
    assert "310" in air
    # The front page's air tile reads the same figure from the registry.
    home = client.get("/").content.decode()
    assert "/figures/air.good_days/records/?city=430200&amp;year=2021" in home
