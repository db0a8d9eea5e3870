"""The figures supervision sampling publishes (registered from ``SamplingConfig.ready``): one
pass rate per domain, ``sampling.<domain>.pass_rate``, over the batches sampled in the region
and its districts in the year; its record count is the number of batches. A batch counts as
passed when it conforms or a re-test overturned its result. Rates come from the engine
(``zhizao.indicators.rates``), in percent, rounded per GB/T 8170."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import Column, Direction, Indicator, Measure, Period, in_region, percent
from zhizao.core.models import Region
from zhizao.indicators.rates import PASS_RATE_DECIMALS
from zhizao.sampling.choices import DOMAIN_NAMES, FIGURE_CODES, Domain, Verdict
from zhizao.sampling.models import SampledBatch

RULE = "合格率 = 合格批次 / 抽检批次 × 100%; GB/T 8170 修约 (rounding)"


def batches(domain: str) -> Callable[[Region, int], QuerySet[SampledBatch]]:
    def records(region: Region, year: int) -> QuerySet[SampledBatch]:
        return SampledBatch.objects.filter(
            in_region(region, "region"), plan__domain=domain, sampled_on__year=year
        ).order_by("sampled_on", "report_number")

    return records


def _measure(domain: str) -> Callable[[Region, int], Measure]:
    records = batches(domain)

    def measure(region: Region, year: int) -> Measure:
        from django.db.models import Count

        counts = records(region, year).aggregate(
            total=Count("pk"),
            passed=Count("pk", filter=Q(verdict=Verdict.PASS) | Q(overturned_on_retest=True)),
            synthetic=Count("pk", filter=Q(is_synthetic=True)),
        )
        total, passed = counts["total"] or 0, counts["passed"] or 0
        if not total:
            return Measure.missing(0, f"{year} 年没有抽检批次", f"no sampled batches in {year}")
        return Measure(percent(passed, total, PASS_RATE_DECIMALS), total, counts["synthetic"] > 0)

    return measure


def _latest(domain: str) -> Callable[[Region], int | None]:
    def latest(region: Region) -> int | None:
        last = SampledBatch.objects.filter(
            in_region(region, "region"), plan__domain=domain
        ).aggregate(last=Max("sampled_on"))["last"]
        return last.year if last else None

    return latest


COLUMNS = (
    Column(_("report number"), "report_number"),
    Column(_("sampled on"), "sampled_on"),
    Column(_("product"), "product"),
    Column(_("product category"), "category__name"),
    Column(_("producer"), "producer__name"),
    Column(_("district"), "region__name"),
    Column(_("verdict"), lambda batch: batch.get_verdict_display()),
    Column(_("overturned by the re-test"), "overturned_on_retest"),
)


def _indicator(domain: str) -> Indicator:
    zh, en = DOMAIN_NAMES[domain]
    return Indicator(
        code=FIGURE_CODES[domain],
        name=(zh, en),
        definition=(
            f"当年本地区{zh.removesuffix('合格率')}的抽检批次中合格批次（含复检后合格）所占百分比。",
            f"Share of the year's sampled batches in the region that conform ({en}; "
            "a batch overturned by its re-test counts as conforming).",
        ),
        unit="%",
        standard=RULE,
        direction=Direction.HIGHER,
        period=Period.YEAR,
        measure=_measure(domain),
        records=batches(domain),
        columns=COLUMNS,
        select_related=("category", "producer", "region"),
        latest=_latest(domain),
    )


INDICATORS = tuple(_indicator(domain) for domain in Domain)
