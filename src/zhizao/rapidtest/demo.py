"""The demo city's five years of rapid tests, 2017-01-01 to 2021-12-31 (the article's report
year, :data:`REPORT_YEAR`): 68 test rooms in Zhuzhou's urban districts, about
1.1 million synthetic batches (samples; overall batch pass rate near 98.75%, about 70% of batches
from farmers' markets), generated with a seeded NumPy generator and loaded through the same
validated bulk import path as any uploaded file. A meat or aquatic sample is screened for one,
two or three of its category's items (:data:`ITEMS_PER_SAMPLE`), so there are more tests than
batches; a failed batch fails on one item. Every market and record is marked synthetic.

The batch count is ``ZHIZAO_RAPIDTEST_DEMO_RECORDS`` (environment, default 1,100,000).
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime, time, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from zhizao.core import services as core_services
from zhizao.core.actors import system_actor
from zhizao.core.choices import OrganizationKind, Role
from zhizao.core.demo import DEMO_PASSWORD, synthetic_credit_code
from zhizao.core.models import Organization, Region, User
from zhizao.rapidtest import services
from zhizao.rapidtest.choices import CaseStatus, LabResult, QuotaPeriod, Source
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import FollowUpCase, MarketProfile, Product, RoomQuota, Stall, TestItem

DATASET = "rapidtest"
VERSION = 1
SEED = 20240501
DISTRICTS = ("430202", "430203", "430204", "430211")  # 荷塘区 芦淞区 石峰区 天元区
FARMERS_MARKETS = 48
SUPERMARKETS = 20
YEARS = 5
# The demo lives in the article's time: five years of rapid tests up to its report year.
REPORT_YEAR = 2021
FIRST_DAY = date(REPORT_YEAR - YEARS + 1, 1, 1)  # 2017-01-01
LAST_DAY = date(REPORT_YEAR, 12, 31)
# Smaller urban markets without a test room: the article's 68 rooms cover "over 80%" of urban
# circulation, so the city has more markets than rooms (coverage is computed, never typed in).
MARKETS_WITHOUT_ROOM = 24
ORIGINS = (
    "湖南长沙",
    "湖南株洲",
    "湖南湘潭",
    "湖南衡阳",
    "广东广州",
    "山东寿光",
    "云南昆明",
    "湖北武汉",
)
SUPPLIERS = tuple(f"株洲{name}农产品经营部" for name in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉")


# Probabilities of 1, 2, 3 items tested on one sample of a category with several items.
ITEMS_PER_SAMPLE = (0.6, 0.2, 0.2)


def record_count() -> int:
    """The number of batches (samples) to generate."""
    return int(settings.ZHIZAO_RAPIDTEST_DEMO_RECORDS)


def _markets(rng: np.random.Generator) -> list[Organization]:
    regions = [Region.objects.get(code=code) for code in DISTRICTS]
    markets = []
    for index in range(FARMERS_MARKETS + SUPERMARKETS):
        region = regions[index % len(regions)]
        farmers = index < FARMERS_MARKETS
        name = (
            f"{region.name}第{index + 1}农贸市场"
            if farmers
            else f"{region.name}第{index - FARMERS_MARKETS + 1}生鲜超市"
        )
        market, _created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "credit_code": synthetic_credit_code(name, region.code),
                "kind": OrganizationKind.FARMERS_MARKET
                if farmers
                else OrganizationKind.SUPERMARKET,
                "region": region,
                "is_synthetic": True,
            },
        )
        MarketProfile.objects.get_or_create(
            organization=market,
            defaults={
                "test_room_since": date(REPORT_YEAR - YEARS, 1 + index % 12, 1),
                "annual_volume_t": float(
                    rng.integers(3000, 20000) if farmers else rng.integers(1500, 8000)
                ),
                "floor_area_m2": float(rng.integers(2000, 12000)),
                "opens_at": time(5, 30) if farmers else time(8, 0),
                "closes_at": time(20, 0) if farmers else time(22, 0),
                "instrument_only": index % 17 == 3,
            },
        )
        Stall.objects.bulk_create(
            [Stall(market=market, booth_number=f"A{n:02d}") for n in range(1, 11)],
            ignore_conflicts=True,
        )
        RoomQuota.objects.get_or_create(
            market=market,
            category="",
            period=QuotaPeriod.WEEK,
            defaults={"batches": 80 if farmers else 40},
        )
        markets.append(market)
    return markets


def _markets_without_rooms(rng: np.random.Generator) -> None:
    regions = [Region.objects.get(code=code) for code in DISTRICTS]
    for index in range(MARKETS_WITHOUT_ROOM):
        region = regions[index % len(regions)]
        name = f"{region.name}第{index + 1}社区菜市场"
        market, _created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "credit_code": synthetic_credit_code(name, region.code),
                "kind": OrganizationKind.FARMERS_MARKET,
                "region": region,
                "is_synthetic": True,
            },
        )
        MarketProfile.objects.get_or_create(
            organization=market,
            defaults={
                "has_test_room": False,
                "test_room_since": None,
                "annual_volume_t": float(rng.integers(3000, 9000)),
                "floor_area_m2": float(rng.integers(500, 2500)),
                "opens_at": time(6, 0),
                "closes_at": time(19, 0),
            },
        )


def _write_csv(path: str, markets: list[Organization], rng: np.random.Generator, n: int) -> None:
    products = list(Product.objects.all())
    items = list(TestItem.objects.all())
    by_category = {c: [i for i in items if i.category == c] for c in {p.category for p in products}}
    farmers = np.array([m.kind == OrganizationKind.FARMERS_MARKET for m in markets])
    weights = np.where(farmers, 0.70 / farmers.sum(), 0.30 / (~farmers).sum())
    # Per sample (batch): market, product, verdict, number of items.
    sample_market = rng.choice(len(markets), size=n, p=weights)
    # Batch failure rate per room around 1.25%; two rooms report (implausibly) almost no failures.
    room_rates = rng.gamma(8.0, 0.0125 / 8.0, size=len(markets))
    room_rates[[5, 30]] = 0.0005
    room_rates *= 0.0125 / np.average(room_rates, weights=weights)
    sample_failed = rng.random(n) < room_rates[sample_market]
    sample_product = rng.integers(0, len(products), size=n)
    options_of = [by_category[p.category] for p in products]
    option_count = np.array([len(options) for options in options_of])[sample_product]
    wanted = rng.choice(len(ITEMS_PER_SAMPLE), size=n, p=ITEMS_PER_SAMPLE) + 1
    sample_items = np.minimum(wanted, option_count)
    first_option = rng.integers(0, 1 << 30, size=n) % option_count
    # One row per test: the sample's items are consecutive options from a random first one; a
    # failed batch fails on its first item.
    sample_idx = np.repeat(np.arange(n), sample_items)
    rows = len(sample_idx)
    starts = np.cumsum(sample_items) - sample_items
    position = np.arange(rows) - np.repeat(starts, sample_items)
    market_idx = sample_market[sample_idx]
    product_idx = sample_product[sample_idx]
    option_idx = (first_option[sample_idx] + position) % option_count[sample_idx]
    failed = sample_failed[sample_idx] & (position == 0)
    item_names = np.empty(rows, dtype=object)
    values = np.empty(rows, dtype=object)
    for p_index in range(len(products)):
        of_product = product_idx == p_index
        for o_index, item in enumerate(options_of[p_index]):
            sub = np.nonzero(of_product & (option_idx == o_index))[0]
            item_names[sub] = item.name
            if item.is_qualitative:
                values[sub] = np.where(failed[sub], "阳性", "阴性")
            else:
                passing = np.round(rng.uniform(0, 45, size=len(sub)), 1)
                failing = np.round(rng.uniform(50, 90, size=len(sub)), 1)
                values[sub] = np.where(failed[sub], failing, passing).astype(str)
    start, end = FIRST_DAY, LAST_DAY
    days = rng.integers(0, (end - start).days + 1, size=n)
    minutes = rng.integers(6 * 60, 11 * 60, size=n) + np.where(farmers[sample_market], 0, 150)
    base = np.datetime64(datetime.combine(start, time(0, 0)), "m")
    # A sample's items are tested one after another, two minutes apart.
    tested = (
        base
        + days[sample_idx].astype("timedelta64[D]")
        + (minutes[sample_idx] + 2 * position).astype("timedelta64[m]")
    )
    sampled = (
        base
        + days.astype("timedelta64[D]")
        + (minutes - rng.integers(10, 60, size=n)).astype("timedelta64[m]")
    )[sample_idx]
    n_samples, n = n, rows
    table = pa.table(
        dict(
            zip(
                template_headers("en"),
                [
                    pa.array(np.char.add("D", np.arange(n).astype(str))),
                    pa.array(np.array([m.credit_code for m in markets])[market_idx]),
                    pa.array(
                        np.char.add(
                            "A", np.char.zfill(rng.integers(1, 11, size=n_samples).astype(str), 2)
                        )[sample_idx]
                    ),
                    pa.array(np.array([p.name for p in products])[product_idx]),
                    pa.array(item_names.astype(str)),
                    pa.array(
                        np.array(ORIGINS)[rng.integers(0, len(ORIGINS), size=n_samples)][sample_idx]
                    ),
                    pa.array(
                        np.array(SUPPLIERS)[rng.integers(0, len(SUPPLIERS), size=n_samples)][
                            sample_idx
                        ]
                    ),
                    pa.array(
                        np.round(rng.uniform(5, 200, size=n_samples), 1).astype(str)[sample_idx]
                    ),
                    pa.array(np.datetime_as_string(sampled, unit="m")).cast(pa.string()),
                    pa.array(np.datetime_as_string(tested, unit="m")).cast(pa.string()),
                    pa.array(np.array(("王", "李", "张", "刘", "陈"))[rng.integers(0, 5, size=n)]),
                    pa.array(np.char.add("DEV-", (market_idx + 1).astype(str))),
                    pa.array(values.astype(str)),
                    pa.array(np.where(failed, "不合格", "合格")),
                    pa.array(np.char.add("S", sample_idx.astype(str))),
                ],
                strict=True,
            )
        )
    )
    # Rows in the order of their test times, as instruments and uploads deliver them (a sample's
    # tests stay in order, two minutes apart): the table then lies on disk by time, as a city's
    # would, and the staff pages' period queries read the pages of their period only.
    table = table.take(pa.array(np.argsort(tested, kind="stable")))
    # ISO "T" separators are accepted by the importer.
    pacsv.write_csv(table, path)


def load() -> dict[str, int]:
    rng = np.random.default_rng(SEED)
    markets = _markets(rng)
    _markets_without_rooms(np.random.default_rng(SEED + 1))  # own stream: records unchanged
    if not User.objects.filter(username="tester").exists():
        core_services.create_user(
            username="tester",
            password=DEMO_PASSWORD,
            role=Role.MARKET_TESTER,
            organization=markets[0],
        )
    system = system_actor()
    n = record_count()
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        path = handle.name
    try:
        _write_csv(path, markets, rng, n)
        outcome = services.import_test_records(
            system, path, file_name="demo-rapidtest.csv", source=Source.DEMO, synthetic=True
        )
    finally:
        os.unlink(path)
    if not outcome.ok:
        raise RuntimeError(f"demo import failed: {outcome.errors[:5]}")
    # Cases older than the last ten days of data were handled: disposed within hours,
    # confirmed by a lab, closed the next day (the last ten days' cases stay open).
    cutoff = timezone.make_aware(datetime.combine(LAST_DAY, time(0, 0))) - timedelta(days=9)
    handled = list(FollowUpCase.objects.filter(opened_at__lt=cutoff))
    for case in handled:
        case.destroyed_kg = 20.0
        case.disposed_at = case.opened_at + timedelta(hours=6)
        case.lab_name = "株洲市食品药品检验所"
        case.lab_result = LabResult.CONFIRMED
        case.supplier_traced = True
        case.status = CaseStatus.CLOSED
        case.closed_at = case.opened_at + timedelta(days=1)
    # One history row per case, signed by the system actor (a plain .update() writes none).
    bulk_update_with_history(
        handled,
        FollowUpCase,
        [
            "destroyed_kg",
            "disposed_at",
            "lab_name",
            "lab_result",
            "supplier_traced",
            "status",
            "closed_at",
        ],
        batch_size=2000,
        default_user=system,
    )
    return {
        "markets_with_room": len(markets),
        "markets_without_room": MARKETS_WITHOUT_ROOM,
        "batches": record_count(),
        "records": outcome.rows,
    }
