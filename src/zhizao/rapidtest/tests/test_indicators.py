"""The rapid-test figures of the registry, computed from records these tests make: periods,
region semantics (a city counts its districts; a district only itself), percent in percent, the
reason of a figure without value, and the drill-down listing exactly the records counted."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhizao.core import figures
from zhizao.core.choices import OrganizationKind, RegionLevel
from zhizao.core.models import Region
from zhizao.core.testing import make_organization
from zhizao.rapidtest import services
from zhizao.rapidtest.figures import board, live_now
from zhizao.rapidtest.models import MarketProfile, TestRecord

from .conftest import record_data

pytestmark = pytest.mark.django_db


def at(year, month=6, day=15, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour, 0))


def record(rt, market, tested_at, *, passed=True):
    data = record_data(rt, market=market, tested_at=tested_at, value="12.5" if passed else "80")
    saved, _created = services.record_test_result(rt.p.admin, data)
    assert saved.passed is passed
    return saved


@pytest.fixture
def tested(rt):
    """芦淞区's farmers' market: 2016 ×1, 2017 ×2 (1 failed), 2021 ×3 (1 failed, one at
    23:30 on 31 December local time); 天元区's supermarket: 2021 ×1 and 2022 ×1."""
    for tested_at, passed in (
        (at(2016), True),
        (at(2017, 1, 1, 0), True),
        (at(2017), False),
        (at(2021, 3), True),
        (at(2021, 5), False),
        (timezone.make_aware(datetime(2021, 12, 31, 23, 30)), True),
    ):
        record(rt, rt.market, tested_at, passed=passed)
    record(rt, rt.other_market, at(2021, 8))
    record(rt, rt.other_market, at(2022, 1, 1, 0))
    return rt


def figure(code, region, year):
    indicator = figures.get(code)
    assert indicator is not None
    return indicator.compute(region, year)


def test_batches_and_pass_rates_by_period_and_region(tested):
    city, lusong, tianyuan = tested.p.city, tested.p.lusong, tested.p.tianyuan
    five = figure("rapidtest.batches_5y", city, 2021)
    assert (five.value, five.records, five.unit) == (6, 6, "批次")  # 2017..2021, both markets
    rate = figure("rapidtest.pass_rate_5y", city, 2021)
    assert (rate.value, rate.unit, rate.records) == (Decimal("66.67"), "%", 6)
    year = figure("rapidtest.pass_rate", city, 2021)
    assert (year.value, year.records) == (Decimal("75.00"), 4)
    assert figure("rapidtest.pass_rate", lusong, 2021).value == Decimal("66.67")
    assert figure("rapidtest.pass_rate", tianyuan, 2021).value == Decimal("100.00")
    assert figure("rapidtest.batches_5y", city, 2022).value == 5  # 2018..2022
    assert figure("rapidtest.batches_5y", city, 2020).value == 3  # 2016..2020
    share = figure("rapidtest.farmers_market_share", city, 2021)
    assert (share.value, share.records) == (Decimal("83.3"), 6)  # 5 of 6 in farmers' markets
    empty = figure("rapidtest.pass_rate", city, 2019)
    assert (empty.value, empty.records) == (None, 0)
    assert empty.reason == "no rapid-test records for 2019"
    assert not five.synthetic


def test_a_city_counts_no_record_of_another_city(tested):
    other_city = Region.objects.get(code="430300")  # 湘潭市
    district = Region.objects.create(
        name="测试区", code="430399", level=RegionLevel.DISTRICT, parent=other_city
    )
    market = make_organization("湘潭测试农贸市场", district, OrganizationKind.FARMERS_MARKET)
    MarketProfile.objects.create(organization=market)
    record(tested, market, at(2021))
    assert figure("rapidtest.batches_5y", tested.p.city, 2021).value == 6
    assert figure("rapidtest.batches_5y", other_city, 2021).value == 1
    assert figure("rapidtest.rooms", other_city, 2021).value == 1


def test_rooms_and_coverage(tested):
    city = tested.p.city
    MarketProfile.objects.filter(organization=tested.other_market).update(
        has_test_room=False, annual_volume_t=3000
    )
    MarketProfile.objects.filter(organization=tested.market).update(
        annual_volume_t=1000, test_room_since=date(2018, 3, 1)
    )
    assert figure("rapidtest.rooms", city, 2021).value == 1
    assert figure("rapidtest.rooms", city, 2017).value == 0  # the room opened in 2018
    by_count = figure("rapidtest.coverage_by_count", city, 2021)
    assert (by_count.value, by_count.records) == (Decimal("50.0"), 2)
    assert figure("rapidtest.coverage_by_volume", city, 2021).value == Decimal("25.0")


def test_the_figure_is_synthetic_when_its_records_are(tested):
    TestRecord.objects.filter(tested_at__year=2021, market=tested.market).update(is_synthetic=True)
    assert figure("rapidtest.pass_rate", tested.p.lusong, 2021).synthetic
    assert not figure("rapidtest.pass_rate", tested.p.tianyuan, 2021).synthetic


@pytest.mark.parametrize(
    "code",
    [
        "rapidtest.batches_5y",
        "rapidtest.pass_rate",
        "rapidtest.rooms",
        "rapidtest.coverage_by_volume",
    ],
)
def test_the_drill_down_lists_exactly_the_records_counted(tested, code):
    indicator = figures.get(code)
    for region in (tested.p.city, tested.p.lusong):
        for year in (2017, 2021, 2022):
            computed = indicator.compute(region, year)
            assert indicator.records(region, year).count() == computed.records
            response = tested.p.client("anonymous").get(computed.url)
            assert response.status_code == 200
            assert response.context["page"].paginator.count == computed.records


def test_the_gate_screen_and_the_case_clock_take_the_demos_latest_day(tested):
    market_ids = [tested.market.pk]
    assert live_now(market_ids) >= timezone.now() - timedelta(seconds=5)  # real records: now
    TestRecord.objects.update(is_synthetic=True)
    demo_now = live_now(market_ids)
    assert timezone.localtime(demo_now).date() == date(2021, 12, 31)
    shown = board(tested.market)
    assert shown["now"].date() == date(2021, 12, 31)
    assert [r.tested_at.year for r in shown["today"]] == [2021]
    # A record made today brings the clock back to the present.
    record(tested, tested.market, timezone.now() - timedelta(minutes=1))
    TestRecord.objects.update(is_synthetic=True)
    assert live_now(market_ids) >= timezone.now() - timedelta(seconds=5)


def test_integrity_checks_look_at_the_demos_last_thirty_days(rt):
    """Eight identical values in a row on the demo's last day of data are flagged."""
    for minute in range(8):
        saved = record(rt, rt.market, timezone.make_aware(datetime(2021, 12, 30, 9, minute)))
        TestRecord.objects.filter(pk=saved.pk).update(is_synthetic=True)
    page = rt.p.client("officer").get("/rapidtest/integrity/")
    flags = page.context["flags"]
    assert [flag.code for flag in flags if flag.market == rt.market] == ["repeated_values"]
