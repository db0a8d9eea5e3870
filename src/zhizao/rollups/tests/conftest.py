"""Three small cities (株洲, 长沙, 湘潭), each with rapid tests, sampled batches and station-hours
made through the apps' own services and importers, different in each city."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.utils import timezone

from zhizao.core.actors import system_actor
from zhizao.core.choices import OrganizationKind
from zhizao.core.models import Organization, Region, User
from zhizao.core.testing import make_organization
from zhizao.environment import services as environment
from zhizao.environment.tests.conftest import csv_bytes, make_station
from zhizao.rapidtest import services as rapidtest
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import MarketProfile
from zhizao.sampling import services as sampling
from zhizao.sampling.choices import AuthorityLevel, Domain

CITIES = ("430200", "430100", "430300")


def _rapid_tests(market: Organization, city_index: int, year: int) -> bytes:
    """Batches of pork screened for one or two items; a batch with a positive item fails."""
    rows = []
    day = dt.datetime(year, 3, 1, 8, 0)
    for number in range(6 + 3 * city_index):
        when = day + dt.timedelta(days=number * 9, minutes=number)
        items = ["克伦特罗"] if number % 2 else ["克伦特罗", "莱克多巴胺"]
        failing = number % (3 + city_index) == 0
        for position, item in enumerate(items):
            value = "阳性" if failing and position == len(items) - 1 else "阴性"
            rows.append(
                [
                    "",
                    market.credit_code,
                    "",
                    "猪肉",
                    item,
                    "",
                    "",
                    "",
                    "",
                    when.strftime("%Y-%m-%d %H:%M"),
                    "检测员甲",
                    "",
                    value,
                    "",
                    f"S{city_index}-{number:03d}",
                ]
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers("en"))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _sampled(admin: User, city: Region, city_index: int, year: int) -> None:
    lab_org = make_organization(f"检验中心{city.code}", city, OrganizationKind.INSPECTION_BODY)
    producer = make_organization(f"生产企业{city.code}", city)
    lab = sampling.create_lab(admin, lab_org, cma_number=f"CMA-{city.code}")
    plan = sampling.create_plan(
        admin,
        categories={"儿童玩具": 20},
        year=year,
        domain=Domain.CONSUMER_GOODS,
        title=f"{city.name}消费品抽检计划",
        authority=f"{city.name}市场监督管理局",
        level=AuthorityLevel.CITY,
        region=city,
        lab=lab,
    )
    inputs = []
    for number in range(5 + city_index):
        value = "0.9" if number % (2 + city_index) == 0 else "0.1"
        inputs.append(
            sampling.BatchInput(
                category="儿童玩具",
                producer=producer,
                product="积木",
                sampled_on=dt.date(year, 4 + number % 3, 10),
                report_number=f"R-{city.code}-{number:03d}",
                region=city,
                standards=["GB 6675.1-2014"],
                items=[
                    sampling.ItemInput(
                        name="可迁移元素铅", value=value, limit="≤0.5", unit="mg/kg"
                    ),
                ],
            )
        )
    sampling.record_batches(admin, plan, inputs)


def _hours(code: str, start: dt.date, days: int, shift: float) -> list[str]:
    rows = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        for hour in range(24):
            label = f"{day.isoformat()} {hour + 1:02d}:00"
            pm25 = 20 + shift + (offset * 7) % 60
            flag = "V" if (offset + hour) % 29 else "M"
            rows.append(
                f"{code},{label},{8 + shift / 4},{25 + offset % 9},{50 + shift},{pm25},"
                f"{0.6 + (hour % 5) / 10},{50 + hour * 4 + shift},{flag}"
            )
    return rows


@pytest.fixture
def three(personas):
    """Three cities of Hunan with records of last year (so no time is in the future)."""
    data = SimpleNamespace(p=personas, year=timezone.localdate().year - 1)
    data.cities = [Region.objects.get(code=code) for code in CITIES]
    actor = system_actor()
    for index, city in enumerate(data.cities):
        district = city if index else personas.lusong
        market = make_organization(
            f"农贸市场{city.code}", district, OrganizationKind.FARMERS_MARKET
        )
        MarketProfile.objects.create(organization=market, test_room_since="2017-01-01")
        outcome = rapidtest.import_test_records(
            actor, io.BytesIO(_rapid_tests(market, index, data.year)), file_name=f"{city.code}.csv"
        )
        assert outcome.ok, outcome.errors
        _sampled(personas.admin, city, index, data.year)
        rows = []
        for station in range(2):
            code = f"S{city.code}{station}"
            make_station(code, district)
            rows += _hours(code, dt.date(data.year, 6, 1), 12, 10.0 * index + 3 * station)
        air = environment.import_air_hours(
            actor, io.BytesIO(csv_bytes(*rows)), file_name=f"air-{city.code}.csv"
        )
        assert air.ok, air.errors
    return data
