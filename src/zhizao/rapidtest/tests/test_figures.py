"""The regulator's figures: integrity checks, the detection-rate floor, early warnings and room
scores, each checked against records made to raise (or not raise) them."""

from datetime import datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone

from zhizao.rapidtest import figures, rollups
from zhizao.rapidtest.choices import IntegrityCheck, QuotaPeriod, Source, WarningKind
from zhizao.rapidtest.models import MarketProfile, RoomQuota, TestRecord

pytestmark = pytest.mark.django_db

_ids = count(1)
NOW = timezone.make_aware(datetime(2026, 11, 20, 10, 0))  # a Friday, 10:00 in Asia/Shanghai


def make(rt, n=1, *, value=12.5, passed=True, tested_at=None, entered_at=None, **extra):
    """Insert n records directly, as an instrument upload or an old import would leave them."""
    tested_at = tested_at or NOW - timedelta(hours=1)
    source = extra.pop("source", Source.WEB)
    records = [
        TestRecord(
            market=rt.market,
            product=rt.greens,
            item=rt.enzyme,
            value=value,
            passed=passed,
            tested_at=tested_at + timedelta(minutes=index),
            entered_at=entered_at or tested_at + timedelta(minutes=index + 1),
            source=source,
            client_record_id=f"t{next(_ids)}",
            **extra,
        )
        for index in range(n)
    ]
    return TestRecord.objects.bulk_create(records)


def codes(flags):
    return sorted(str(flag.code) for flag in flags)


def test_clean_data_raises_no_flag(rt):
    for index in range(10):
        make(rt, value=11.3 + index * 1.7)
    assert figures.integrity_checks(rt.p.officer, now=NOW) == []


def test_eight_identical_values_in_a_row_are_flagged_seven_are_not(rt):
    seven = make(rt, 7, value=12.5)
    assert figures.integrity_checks(rt.p.officer, now=NOW) == []
    eighth = make(rt, value=12.5, tested_at=NOW - timedelta(minutes=30))
    (flag,) = figures.integrity_checks(rt.p.officer, now=NOW)
    assert flag.code == IntegrityCheck.REPEATED_VALUES
    assert sorted(flag.record_ids) == sorted(r.pk for r in [*seven, *eighth])


def test_runs_of_round_numbers_are_flagged(rt):
    for index, value in enumerate([10, 20, 30, 40, 10, 20, 30, 40]):
        make(rt, value=value, tested_at=NOW - timedelta(hours=2) + timedelta(minutes=5 * index))
    assert codes(figures.integrity_checks(rt.p.officer, now=NOW)) == [IntegrityCheck.ROUND_NUMBERS]


def test_a_burst_of_late_manual_entries_is_flagged(rt):
    tested = NOW - timedelta(days=3)
    for index in range(20):
        make(
            rt,
            value=5 + index * 1.3,
            tested_at=tested + timedelta(minutes=index),
            entered_at=NOW - timedelta(minutes=30 - index),
        )
    flags = [
        flag
        for flag in figures.integrity_checks(rt.p.officer, now=NOW)
        if flag.code == IntegrityCheck.LATE_BURST
    ]
    assert len(flags) == 1
    assert len(flags[0].record_ids) == 20


def test_tests_outside_opening_hours_are_flagged(rt):
    night = timezone.make_aware(datetime(2026, 11, 19, 3, 0))
    (record,) = make(rt, value=21.7, tested_at=night)
    (flag,) = figures.integrity_checks(rt.p.officer, now=NOW)
    assert flag.code == IntegrityCheck.OUTSIDE_HOURS
    assert flag.record_ids == [record.pk]
    assert "06:00–20:00" in flag.explanation


def test_missing_evidence_is_flagged_only_where_required(rt):
    (record,) = make(rt, value=9.1)
    assert figures.integrity_checks(rt.p.officer, now=NOW) == []
    MarketProfile.objects.filter(organization=rt.market).update(evidence_required=True)
    (flag,) = figures.integrity_checks(rt.p.officer, now=NOW)
    assert flag.code == IntegrityCheck.MISSING_EVIDENCE
    assert flag.record_ids == [record.pk]


def test_detection_floor_flags_a_room_that_never_finds_anything(rt, settings):
    settings.ZHIZAO_RAPIDTEST_DETECTION_FLOOR = 0.01
    for index in range(100):
        make(rt, value=3 + (index % 40) * 0.9, tested_at=NOW - timedelta(days=1, minutes=index))
    (flag,) = figures.detection_floor_flags(rt.p.officer, now=NOW)
    assert flag.market == rt.market
    assert "0 failed batches in 100 batches" in flag.explanation
    make(rt, 2, value=70, passed=False, tested_at=NOW - timedelta(hours=5))
    assert figures.detection_floor_flags(rt.p.officer, now=NOW) == []  # 2/102 ≈ 2% ≥ 1%


def test_early_warning_needs_a_significant_rise_over_the_own_baseline(rt):
    base = NOW - timedelta(days=200)
    make(rt, 199, value=10, tested_at=base, supplier="甲批发")
    make(rt, 1, value=70, passed=False, tested_at=base + timedelta(days=1), supplier="甲批发")
    recent = NOW - timedelta(days=3)
    make(rt, 36, value=10, tested_at=recent, supplier="甲批发")
    make(rt, 4, value=70, passed=False, tested_at=recent + timedelta(hours=1), supplier="甲批发")
    # The baseline's whole months come from the rollups (issue 20): count the inserted records
    # there, as every write path does.
    rollups.rebuild()
    flags = figures.early_warnings(rt.p.officer, now=NOW)
    kinds = {str(flag.code) for flag in flags}
    # 4 failures in 40 (10%) against a baseline of 2/202 ≈ 1%: significant for market, product
    # and supplier alike; the p-value is the exact binomial tail.
    assert {WarningKind.MARKET, WarningKind.PRODUCT, WarningKind.SUPPLIER} <= kinds
    market_flag = next(flag for flag in flags if flag.code == WarningKind.MARKET)
    assert market_flag.extra["p_value"] < 0.01
    assert len(market_flag.record_ids) == 4


def test_no_early_warning_when_the_rate_matches_the_baseline(rt):
    base = NOW - timedelta(days=200)
    make(rt, 180, value=10, tested_at=base)
    make(rt, 20, value=70, passed=False, tested_at=base + timedelta(days=1))
    recent = NOW - timedelta(days=3)
    make(rt, 36, value=10, tested_at=recent)
    make(rt, 4, value=70, passed=False, tested_at=recent + timedelta(hours=1))
    rollups.rebuild()
    assert figures.early_warnings(rt.p.officer, now=NOW) == []


def test_room_score_weighs_quota_timeliness_evidence_and_detection(rt, settings):
    settings.ZHIZAO_RAPIDTEST_DETECTION_FLOOR = 0.01
    RoomQuota.objects.create(market=rt.market, category="", period=QuotaPeriod.WEEK, batches=20)
    monday = timezone.make_aware(datetime(2026, 11, 9, 9, 0))  # of the last whole week
    make(rt, 9, value=10, tested_at=monday)  # on time
    make(rt, 1, value=70, passed=False, tested_at=monday, entered_at=monday + timedelta(days=2))
    (score,) = [s for s in figures.room_scores(rt.p.officer, now=NOW) if s.market == rt.market]
    assert score.quotas[0]["done"] == 10
    assert score.quota_share == pytest.approx(0.5)
    assert score.timely_share == pytest.approx(0.9)
    assert score.evidence_share == 1.0
    assert score.detection_rate == pytest.approx(0.1)
    assert score.score == pytest.approx(40 * 0.5 + 20 * 0.9 + 20 * 1.0 + 20 * 1.0)


def test_figures_are_scoped_to_the_users_markets(rt):
    make(rt, 8, value=12.5)
    assert figures.integrity_checks(rt.p.officer, now=NOW)
    assert figures.integrity_checks(rt.p.tester, now=NOW)  # the room's own tester
    assert figures.integrity_checks(rt.p.bob, now=NOW) == []
    assert figures.integrity_checks(rt.p.district_officer, now=NOW) == []  # 芦淞区 is not his
