"""The front page's rapid-test tile: pass rate of all batches tested in the city's markets."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from zhizao.core.headlines import TILES, Headline
from zhizao.core.models import Region
from zhizao.indicators.rates import pass_rate
from zhizao.rapidtest.models import MarketMonthRollup, MarketProfile, TestRecord


def pass_rate_headline(city: Region) -> list[Headline]:
    title = dict(TILES)["rapidtest_pass_rate"]
    rollup = MarketMonthRollup.objects.filter(market__region__path__startswith=city.path)
    totals = rollup.aggregate(total=Sum("total"), failed=Sum("failed"))
    total, failed = totals["total"] or 0, totals["failed"] or 0
    if not total:
        return []
    rate = pass_rate(total - failed, total)
    rooms = MarketProfile.objects.filter(
        has_test_room=True, organization__region__path__startswith=city.path
    ).count()
    return [
        Headline(
            key="rapidtest_pass_rate",
            title=title,
            value=f"{rate.percent()[0]:.2f}%",
            detail=_("%(batches)s batches · %(rooms)d rooms")
            % {"batches": f"{total:,}", "rooms": rooms},
            link=reverse("rapidtest:dashboard"),
            synthetic=TestRecord.objects.filter(is_synthetic=True).exists(),
        )
    ]
