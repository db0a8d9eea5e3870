"""The sampling figures, from batches these tests record: pass rate per domain of the region
and its districts in the year, its record count the batches, a re-test that overturns counted
as passed; the drill-down lists exactly those batches."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhizao.core import figures
from zhizao.sampling import services
from zhizao.sampling.choices import FIGURE_CODES, Domain, Grouping
from zhizao.sampling.models import SampledBatch

pytestmark = pytest.mark.django_db


def test_every_domain_has_its_figure():
    codes = {indicator.code for indicator in figures.indicators("sampling.")}
    assert codes == set(FIGURE_CODES.values())
    assert "sampling.consumer_goods.pass_rate" in codes
    assert len(codes) == len(Domain)


def test_pass_rate_of_the_region_and_year(smp):
    inputs = [smp.batch_input() for _ in range(5)]
    inputs += [smp.batch_input(value="0.9"), smp.batch_input(value="0.9", region=smp.p.shifeng)]
    summary = services.record_batches(smp.p.officer, smp.plan, inputs)
    indicator = figures.get("sampling.consumer_goods.pass_rate")
    assert indicator is not None
    city = indicator.compute(smp.p.city, smp.year)
    assert (city.value, city.records, city.unit) == (Decimal("71.43"), 7, "%")  # 5 of 7
    assert indicator.records(smp.p.city, smp.year).count() == 7
    tianyuan = indicator.compute(smp.p.tianyuan, smp.year)
    assert (tianyuan.value, tianyuan.records) == (Decimal("83.33"), 6)
    empty = indicator.compute(smp.p.city, smp.year - 1)
    assert empty.value is None
    assert empty.records == 0
    assert str(smp.year - 1) in empty.reason
    other = figures.get("sampling.agri.pass_rate")
    assert other is not None
    assert other.compute(smp.p.city, smp.year).records == 0
    # A conforming re-test turns a failure into a pass.
    case = summary.batches[5].case
    services.send_notice(smp.p.officer, case)
    services.request_retest(smp.p.alice, case)
    services.record_retest(smp.p.officer, case, conforms=True, lab="省检验院", report_number="F")
    assert indicator.compute(smp.p.city, smp.year).value == Decimal("85.71")  # 6 of 7
    assert not indicator.compute(smp.p.city, smp.year).synthetic


def test_pass_rates_with_wilson_intervals_by_group(smp):
    inputs = [smp.batch_input() for _ in range(9)] + [
        smp.batch_input(value="0.9", category="家用电器")
    ]
    services.record_batches(smp.p.officer, smp.plan, inputs)
    rows = {
        row.label: row for row in services.pass_rates(SampledBatch.objects.all(), Grouping.CATEGORY)
    }
    assert (rows["儿童玩具"].passed, rows["儿童玩具"].total, rows["儿童玩具"].rate) == (9, 9, 100.0)
    assert rows["儿童玩具"].high == 100.0
    assert 60 < rows["儿童玩具"].low < 75
    assert (rows["家用电器"].rate, rows["家用电器"].low) == (0.0, 0.0)
    [year] = services.pass_rates(SampledBatch.objects.all(), Grouping.YEAR)
    assert (year.key, year.rate) == (smp.year, 90.0)
    district = {
        row.label for row in services.pass_rates(SampledBatch.objects.all(), Grouping.DISTRICT)
    }
    assert district == {smp.p.tianyuan.name}
