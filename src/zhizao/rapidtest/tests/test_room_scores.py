"""Room scores on the integrity page (issue 19): a market that does nothing is not scored, and a
quota is judged on its last whole period, the current one shown as in progress."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from zhizao.core.choices import OrganizationKind
from zhizao.core.testing import make_organization
from zhizao.rapidtest import figures
from zhizao.rapidtest.choices import QuotaPeriod
from zhizao.rapidtest.models import MarketProfile, RoomQuota
from zhizao.rapidtest.tests.test_figures import make

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 17, 10, 0))  # a Tuesday, 10:00 in Asia/Shanghai
LAST_MONDAY = timezone.make_aware(datetime(2026, 11, 9, 9, 0))


def score_of(user, market):
    (score,) = [s for s in figures.room_scores(user, now=NOW) if s.market == market]
    return score


def test_markets_without_a_room_or_a_record_are_not_scored(rt):
    no_room = make_organization("社区测试菜市场", rt.p.lusong, OrganizationKind.FARMERS_MARKET)
    MarketProfile.objects.create(organization=no_room, has_test_room=False)
    no_profile = make_organization("无档案菜市场", rt.p.lusong, OrganizationKind.FARMERS_MARKET)
    make(rt, 10, value=10, tested_at=LAST_MONDAY)
    scores = figures.room_scores(rt.p.officer, now=NOW)
    by_market = {s.market: s for s in scores}
    assert by_market[no_room].score is None
    assert by_market[no_room].unscored_reason == "No test room."
    assert by_market[no_profile].score is None
    # A room with a test room but no test over the period: not 100 either.
    assert by_market[rt.other_market].score is None
    assert by_market[rt.other_market].unscored_reason.startswith("No test in the last")
    assert by_market[rt.market].score is not None
    # Scored rooms first.
    assert scores[0].market == rt.market


def test_a_quota_is_judged_on_the_last_whole_week(rt, settings):
    settings.ZHIZAO_RAPIDTEST_DETECTION_FLOOR = 0.0
    RoomQuota.objects.create(market=rt.market, category="", period=QuotaPeriod.WEEK, batches=20)
    make(rt, 20, value=10, tested_at=LAST_MONDAY)  # last week: quota met
    make(rt, 5, value=10, tested_at=NOW - timedelta(hours=2))  # this Tuesday: in progress
    make(rt, 7, value=10, tested_at=LAST_MONDAY - timedelta(days=3))  # the week before: ignored
    score = score_of(rt.p.officer, rt.market)
    (quota,) = score.quotas
    assert (quota["done"], quota["current"]) == (20, 5)
    assert quota["start"] == timezone.make_aware(datetime(2026, 11, 9))
    assert quota["end"] == quota["current_start"] == timezone.make_aware(datetime(2026, 11, 16))
    assert score.quota_share == 1.0
    assert score.score == 100.0


def test_a_quarterly_quota_is_judged_on_the_last_whole_quarter(rt, settings):
    settings.ZHIZAO_RAPIDTEST_DETECTION_PERIOD_DAYS = 365
    RoomQuota.objects.create(
        market=rt.market, category="vegetables", period=QuotaPeriod.QUARTER, batches=40
    )
    make(rt, 10, value=10, tested_at=timezone.make_aware(datetime(2026, 8, 3, 9, 0)))
    make(rt, 3, value=10, tested_at=timezone.make_aware(datetime(2026, 6, 30, 9, 0)))  # Q2
    make(rt, 2, value=10, tested_at=timezone.make_aware(datetime(2026, 10, 2, 9, 0)))  # Q4
    (quota,) = score_of(rt.p.officer, rt.market).quotas
    assert quota["start"] == timezone.make_aware(datetime(2026, 7, 1))
    assert quota["end"] == timezone.make_aware(datetime(2026, 10, 1))
    assert (quota["done"], quota["current"]) == (10, 2)
    assert score_of(rt.p.officer, rt.market).quota_share == pytest.approx(0.25)


def test_the_integrity_page_says_not_scored_and_in_progress(rt):
    RoomQuota.objects.create(market=rt.market, category="", period=QuotaPeriod.WEEK, batches=80)
    make(rt, 10, value=10, tested_at=timezone.now() - timedelta(hours=1))
    MarketProfile.objects.filter(organization=rt.other_market).update(has_test_room=False)
    page = rt.p.client("officer").get("/rapidtest/integrity/").content.decode()
    assert "not scored</strong>: No test room." in page
    assert "in progress: 10" in page
