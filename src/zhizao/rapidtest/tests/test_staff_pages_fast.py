"""The fast staff pages (dashboard, records list, early warnings, integrity) give exactly the
figures of a straightforward recount from the records, in a bounded number of queries.

A few hundred records over two markets, two years (and a few dated in the future), several
products, items, suppliers and stalls, with a failure spike in the last 30 days; rollups are
rebuilt from the records as every write path leaves them."""

import random
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from zhizao.core.choices import OrganizationKind
from zhizao.indicators.rates import binomial_upper_tail
from zhizao.rapidtest import figures, permissions, rollups
from zhizao.rapidtest.choices import Category, QuotaPeriod, Source, WarningKind, warning_alpha
from zhizao.rapidtest.filters import filter_records
from zhizao.rapidtest.models import MonthlyRollup, RoomQuota, Stall, TestRecord

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 20, 10, 0))
SUPPLIERS = ["甲批发", "乙批发", "丙批发", ""]

# The straightforward reference: one GROUP BY over the detail rollup per dimension.


def scoped_rollups(user):
    return MonthlyRollup.objects.filter(market__in=permissions.private_markets(user))


def breakdown(queryset, dimension):
    key, label = figures.DIMENSIONS[dimension]
    if dimension == "year":
        queryset = queryset.annotate(year=ExtractYear("month"))
    fields = [key] + ([label] if label else [])
    # Batches, with the tests beside them; an item's batches are its tests.
    batches, failed = ("total", "failed") if dimension == "item" else ("batches", "batches_failed")
    rows = [
        {
            **{name: row[name] for name in fields},
            "total": row["b"],
            "failed": row["bf"],
            "tests": row["t"],
            "tests_failed": row["tf"],
        }
        for row in queryset.values(*fields)
        .annotate(b=Sum(batches), bf=Sum(failed), t=Sum("total"), tf=Sum("failed"))
        .filter(b__gt=0)
        .order_by(key)
    ]
    for row in rows:
        row["label"] = figures._label(dimension, row)
        row["key"] = figures._drill_value(dimension, row)
    return figures.with_rates(rows)


def reference_overall(queryset):
    totals = queryset.aggregate(
        b=Sum("batches"), bf=Sum("batches_failed"), t=Sum("total"), tf=Sum("failed")
    )
    row = {
        "total": totals["b"] or 0,
        "failed": totals["bf"] or 0,
        "tests": totals["t"] or 0,
        "tests_failed": totals["tf"] or 0,
    }
    return figures.with_rates([row])[0]


@pytest.fixture
def data(rt):
    """About 600 records; the spike: 青菜 from 甲批发 at the first market fails often lately."""
    rng = random.Random(20261120)
    stalls = [
        *Stall.objects.filter(market=rt.market),
        Stall.objects.create(market=rt.other_market, booth_number="B01"),
    ]
    combos = [(rt.greens, rt.enzyme), (rt.pork, rt.clen)]
    records = []
    for index in range(600):
        spike = index < 60
        if spike:
            tested = NOW - timedelta(days=rng.uniform(0, 29.9))
            market, (product, item), supplier = rt.market, combos[0], "甲批发"
            failed = rng.random() < 0.3
        else:
            tested = NOW - timedelta(days=rng.uniform(-2, 730))
            market = rng.choice([rt.market, rt.other_market])
            product, item = rng.choice(combos)
            supplier = rng.choice(SUPPLIERS)
            failed = rng.random() < 0.03
        stall = rng.choice([s for s in stalls if s.market_id == market.pk] + [None])
        records.append(
            TestRecord(
                market=market,
                stall=stall,
                product=product,
                item=item,
                supplier=supplier,
                value=70 if failed else 10,
                passed=not failed,
                tested_at=tested,
                entered_at=tested + timedelta(hours=rng.choice([0.1, 30])),
                source=rng.choice([Source.WEB, Source.API, Source.IMPORT]),
                client_record_id=f"s{index}",
            )
        )
    # Month boundaries in local time (Asia/Shanghai) on both sides.
    for index, moment in enumerate(
        [
            timezone.make_aware(datetime(2026, 3, 1, 0, 0)),
            timezone.make_aware(datetime(2026, 2, 28, 23, 59, 59)),
            timezone.make_aware(datetime(2025, 12, 31, 23, 30)),
        ]
    ):
        records.append(
            TestRecord(
                market=rt.market,
                product=rt.greens,
                item=rt.enzyme,
                value=10,
                passed=True,
                tested_at=moment,
                source=Source.API,
                client_record_id=f"edge{index}",
            )
        )
    TestRecord.objects.bulk_create(records)
    rollups.rebuild()
    RoomQuota.objects.create(market=rt.market, period=QuotaPeriod.WEEK, batches=20)
    RoomQuota.objects.create(
        market=rt.market, period=QuotaPeriod.QUARTER, batches=50, category=Category.VEGETABLES
    )
    RoomQuota.objects.create(market=rt.other_market, period=QuotaPeriod.QUARTER, batches=10)
    return rt


def scoped(user):
    from zhizao.rapidtest import permissions

    market_ids = set(permissions.private_markets(user).values_list("pk", flat=True))
    return [
        r
        for r in TestRecord.objects.select_related("market", "product")
        if r.market_id in market_ids
    ]


def local_month(moment):
    return timezone.localtime(moment).strftime("%Y-%m")


# --- Dashboard ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "district_officer"])
def test_dashboard_tables_equal_a_recount_from_the_records(data, persona):
    user = getattr(data.p, persona)
    records = scoped(user)
    keys = {
        "year": lambda r: str(timezone.localtime(r.tested_at).year),
        "kind": lambda r: str(r.market.kind),
        "district": lambda r: str(r.market.region_id),
        "category": lambda r: str(r.product.category),
        "item": lambda r: str(r.item_id),
        "product": lambda r: str(r.product_id),
        "market": lambda r: str(r.market_id),
        "month": lambda r: local_month(r.tested_at),
    }
    tables, overall = figures.dashboard_tables(user)
    assert (overall["total"], overall["failed"]) == (
        len(records),
        sum(not r.passed for r in records),
    )
    for name, key in keys.items():
        expected: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        for record in records:
            expected[key(record)][0] += 1
            expected[key(record)][1] += not record.passed
        got = {row["key"]: [row["total"], row["failed"]] for row in tables[name]}
        assert got == dict(expected), name
    # … and exactly what the per-dimension queries over the rollups gave before (labels, order,
    # rounded rates and intervals included).
    queryset = scoped_rollups(user)
    for name in figures.DASHBOARD_DIMENSIONS:
        assert tables[name] == breakdown(queryset, name), name
    assert overall == reference_overall(queryset)


def test_dashboard_counts_follow_a_write(data):
    user = data.p.officer
    before, _overall = figures.dashboard_tables(user)
    record = TestRecord.objects.filter(market=data.market, item=data.enzyme, passed=True).first()
    from zhizao.rapidtest import services

    assert record is not None
    services.correct_test_record(user, record, {"value": "70"}, "typo")
    after, _overall = figures.dashboard_tables(user)
    assert after == {
        name: breakdown(scoped_rollups(user), name) for name in figures.DASHBOARD_DIMENSIONS
    }
    assert (
        sum(r["failed"] for r in after["market"]) == sum(r["failed"] for r in before["market"]) + 1
    )


# --- Records list -------------------------------------------------------------------------------

FILTERS: list[dict[str, str]] = [
    {},
    {"result": "fail"},
    {"result": "pass", "page": "3"},
    {"market": "{market}"},
    {"market": "{other}", "result": "fail"},
    {"district": "{district}"},
    {"kind": OrganizationKind.SUPERMARKET},
    {"category": Category.MEAT},
    {"item": "{item}", "result": "fail"},
    {"product": "{product}", "page": "2"},
    {"month": "2026-03"},
    {"month": "2026-02", "result": "pass"},
    {"year": "2025"},
    {"year": "2026", "month": "2026-11", "result": "fail"},
    # (invalid filters are a form error: tests/test_bad_input.py)
    {"supplier": "甲批发"},
    {"supplier": "甲批发", "result": "fail"},
    {"ids": "{ids}"},
]


@pytest.mark.parametrize("persona", ["officer", "district_officer", "tester"])
def test_records_list_count_and_page_equal_a_plain_query(data, persona):
    user = getattr(data.p, persona)
    client = data.p.client(persona)
    some_ids = ",".join(str(pk) for pk in TestRecord.objects.values_list("pk", flat=True)[:7])
    values = {
        "market": data.market.pk,
        "other": data.other_market.pk,
        "district": data.p.tianyuan.pk,
        "item": data.enzyme.pk,
        "product": data.pork.pk,
        "ids": some_ids,
    }
    from zhizao.rapidtest import permissions

    markets = permissions.private_markets(user)
    for raw in FILTERS:
        params = {key: value.format(**values) for key, value in raw.items()}
        response = client.get(reverse("rapidtest:records"), params)
        assert response.status_code == 200
        page = response.context["page"]
        plain = filter_records(TestRecord.objects.filter(market__in=markets), params)
        assert page.paginator.count == plain.count(), params
        number = int(params.get("page", 1))
        expected = list(plain.values_list("pk", flat=True)[(number - 1) * 50 : number * 50])
        if expected:
            assert [r.pk for r in page] == expected, params


# --- Early warnings -----------------------------------------------------------------------------


def recount_warnings(user, now):
    """The early warnings recomputed in Python from every record, as the rule states them."""
    records = scoped(user)
    recent, alpha = now - timedelta(days=30), warning_alpha()
    base_start = recent - timedelta(days=365)
    newest = sorted(records, key=lambda r: (r.tested_at, r.pk), reverse=True)
    result = set()
    for kind, key in (
        (WarningKind.MARKET, lambda r: r.market_id),
        (WarningKind.PRODUCT, lambda r: r.product_id),
        (WarningKind.SUPPLIER, lambda r: r.supplier),
    ):
        now_c: defaultdict[object, list[int]] = defaultdict(lambda: [0, 0])
        base_c: defaultdict[object, list[int]] = defaultdict(lambda: [0, 0])
        for r in records:
            if kind == WarningKind.SUPPLIER and not r.supplier:
                continue
            window = now_c if recent <= r.tested_at < now else base_c
            if base_start <= r.tested_at < now:
                window[key(r)][0] += 1
                window[key(r)][1] += not r.passed
        for value, (n, k) in now_c.items():
            before = base_c.get(value, [0, 0])
            p0 = (before[1] + 1) / (before[0] + 2)
            if k == 0 or k / n <= p0 or binomial_upper_tail(k, n, p0) >= alpha:
                continue
            ids = [
                r.pk for r in newest if key(r) == value and not r.passed and r.tested_at >= recent
            ][:200]
            result.add((str(kind), f"{k} failures in {n} tests", tuple(ids)))
    stalls = defaultdict(list)
    for r in newest:
        if r.stall_id and not r.passed and r.tested_at >= recent:
            stalls[r.stall_id].append(r.pk)
    for ids in stalls.values():
        if len(ids) >= 2:
            result.add((str(WarningKind.STALL), f"{len(ids)} failures", tuple(ids)))
    return result


@pytest.mark.parametrize("persona", ["officer", "district_officer"])
@pytest.mark.parametrize("days_later", [0, 11, 40])
def test_early_warnings_equal_a_recount_from_the_records(data, persona, days_later):
    user = getattr(data.p, persona)
    now = NOW + timedelta(days=days_later)
    flags = figures.early_warnings(user, now=now)
    got = set()
    for flag in flags:
        text = flag.explanation
        if flag.code == WarningKind.STALL:
            number = text.split(": ")[1].split(" failures")[0]
            got.add((str(flag.code), f"{number} failures", tuple(flag.record_ids)))
        else:
            counted = text.split(": ", 1)[1].split(" in the last")[0]
            got.add((str(flag.code), counted, tuple(flag.record_ids)))
    assert got == recount_warnings(user, now)
    if persona == "officer" and days_later == 0:
        assert {WarningKind.MARKET, WarningKind.PRODUCT, WarningKind.SUPPLIER} <= {
            f.code for f in flags
        }


# --- Integrity page: quota progress -------------------------------------------------------------


def test_room_score_quota_progress_equals_a_recount(data):
    scores = figures.room_scores(data.p.officer, now=NOW)
    records = scoped(data.p.officer)
    checked = 0
    for score in scores:
        for entry in score.quotas:
            quota = entry["quota"]
            start, end = figures.last_complete_period(quota.period, NOW)
            mine = [
                r
                for r in records
                if r.market_id == quota.market_id
                and (not quota.category or r.product.category == quota.category)
            ]
            assert entry["done"] == sum(1 for r in mine if start <= r.tested_at < end)
            assert entry["current"] == sum(1 for r in mine if r.tested_at >= end)
            checked += 1
    assert checked == 3


def test_detection_floor_from_the_room_scores_equals_its_own_count(data, settings):
    settings.ZHIZAO_RAPIDTEST_DETECTION_FLOOR = 0.2  # so that the sample has rooms to flag
    settings.ZHIZAO_RAPIDTEST_DETECTION_PERIOD_DAYS = 700
    user = data.p.officer
    scores = figures.room_scores(user, now=NOW)
    shared = figures.detection_floor_flags(user, now=NOW, scores=scores)
    alone = figures.detection_floor_flags(user, now=NOW)
    assert shared
    key = lambda flag: (flag.market.pk, flag.explanation)  # noqa: E731
    assert sorted(map(key, shared)) == sorted(map(key, alone))


# --- Query counts -------------------------------------------------------------------------------


def test_staff_pages_need_a_bounded_number_of_queries(data, django_assert_max_num_queries):
    officer = data.p.client("officer")
    pages = [
        # +1: the sub-navigation asks once whether the user reads any market (core.navigation).
        # +3: the filter form's choices (markets with their districts, products, items).
        (reverse("rapidtest:dashboard"), 18),
        (reverse("rapidtest:records"), 13),
        (reverse("rapidtest:records") + "?result=fail&category=meat", 13),
        (reverse("rapidtest:records") + "?supplier=甲批发", 13),
        # +1: the sub-navigation (see above); +2: whole months from the rollups, the rest of
        # the windows from the records (per product and per supplier each).
        (reverse("rapidtest:warnings"), 15),
        (reverse("rapidtest:integrity"), 18),
    ]
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            assert officer.get(url).status_code == 200, url
    # More markets, stalls, quotas and records do not add queries.
    from zhizao.core.testing import make_organization
    from zhizao.rapidtest.models import MarketProfile

    for index in range(3):
        market = make_organization(f"新市场{index}", data.p.tianyuan, OrganizationKind.SUPERMARKET)
        MarketProfile.objects.create(organization=market)
        RoomQuota.objects.create(market=market, period=QuotaPeriod.WEEK, batches=5)
        stall = Stall.objects.create(market=market, booth_number="C01")
        TestRecord.objects.bulk_create(
            TestRecord(
                market=market,
                stall=stall,
                product=data.pork,
                item=data.clen,
                supplier=f"新供货商{index}",
                value=1,
                passed=False,
                tested_at=timezone.now() - timedelta(days=day),
                source=Source.API,
                client_record_id=f"n{index}-{day}",
            )
            for day in range(3)
        )
    rollups.rebuild()
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            assert officer.get(url).status_code == 200, url


@pytest.mark.parametrize("dimension", ["market", "district", "kind", "category", "product", "year"])
def test_api_breakdown_equals_the_reference(data, dimension):
    user = data.p.officer
    body = data.p.client("officer").get(f"/api/v1/rapidtest/dashboard/{dimension}").json()
    expected = breakdown(scoped_rollups(user), dimension)
    assert [(r["key"], r["total"], r["failed"], r["rate"]) for r in body["rows"]] == [
        (r["key"], r["total"], r["failed"], r["rate"]) for r in expected
    ]
    assert body["overall"]["total"] == reference_overall(scoped_rollups(user))["total"]
    assert data.p.client("bob").get(f"/api/v1/rapidtest/dashboard/{dimension}").status_code == 403
