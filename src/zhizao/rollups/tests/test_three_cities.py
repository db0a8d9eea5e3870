"""Done when: a rollup over the exports of three cities gives, for each city, the same figures as
that city's own registry (``zhizao figures``): rapid-test and sampling pass rates, air good days
and composite index; and ``--store`` makes them figures of the province."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.rollups.choices import RollupLevel, RollupMeasure
from zhizao.rollups.models import RollupFigure
from zhizao.scaleout.rollup import rollup_local

pytestmark = pytest.mark.django_db


def _export(three, root):
    for city in three.cities:
        call_command("export", "--parquet", str(root), "--city", city.code)


def _row(table, **where):
    found = table
    for key, value in where.items():
        found = found[found[key] == value]
    assert len(found) == 1, where
    return found.iloc[0]


def test_a_rollup_of_three_cities_gives_each_citys_own_figures(three, tmp_path):
    _export(three, tmp_path)
    result = rollup_local(tmp_path)
    rates, air = result.pass_rates, result.air
    year = three.year
    seen = set()
    for city in three.cities:
        for dataset, code, category in (
            ("rapidtest", "rapidtest.pass_rate", "*"),
            ("sampling", "sampling.consumer_goods.pass_rate", "consumer_goods"),
        ):
            figure = figures.get(code).compute(city, year)
            row = _row(
                rates,
                dataset=dataset,
                level="city",
                region=city.code,
                period="year",
                year=year,
                category=category,
            )
            assert figure.value is not None
            assert figures.percent(int(row.passed), int(row.total), 2) == figure.value
            if dataset == "sampling":
                assert int(row.total) == figure.records  # batches
            else:
                batches = figures.get("rapidtest.batches_5y").compute(city, year)
                assert int(row.total) == batches.value
            seen.add((dataset, int(row.passed), int(row.total)))
        row = _row(air, level="city", city=city.code, year=year)
        good = figures.get("air.good_days").compute(city, year)
        composite = figures.get("air.composite_index").compute(city, year)
        assert good.value == int(row.good_days)
        assert composite.value == Decimal(str(row.composite_rounded)).quantize(Decimal("0.01"))
        assert figures.get("air.valid_days").compute(city, year).value == int(row.valid_days)
    # The cities differ, so the comparison could have failed.
    assert len(seen) == 6
    # The province's row is the sum of its cities'; its cities ranked by composite index.
    cities = rates[(rates.level == "city") & (rates.period == "year") & (rates.category == "*")]
    province = _row(
        rates,
        dataset="rapidtest",
        level="province",
        region="430000",
        period="year",
        year=year,
        category="*",
    )
    rapid = cities[cities.dataset == "rapidtest"]
    assert int(province.total) == int(rapid.total.sum())
    ranks = air[air.level == "city"].sort_values("composite")
    assert list(ranks.rank_in_province) == [1, 2, 3]


def test_store_makes_figures_of_the_province(three, tmp_path):
    _export(three, tmp_path)
    call_command("rollup", str(tmp_path), "--store", "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "passrates.parquet").exists()
    hunan = Region.objects.get(code="430000")
    figure = figures.get("rollups.rapidtest.pass_rate").compute(hunan, three.year)
    stored = RollupFigure.objects.get(
        level=RollupLevel.PROVINCE,
        region=hunan,
        dataset="rapidtest",
        month=0,
        category="*",
        year=three.year,
    )
    assert stored.passed is not None
    assert stored.total is not None
    assert figure.value == figures.percent(stored.passed, stored.total, 2)
    assert figure.records == stored.total
    totals = [
        figures.get("rapidtest.batches_5y").compute(city, three.year).value for city in three.cities
    ]
    assert stored.total == sum(int(total or 0) for total in totals)
    nation = RollupFigure.objects.get(
        level=RollupLevel.NATION, dataset="sampling", month=0, category="*", year=three.year
    )
    assert nation.region is None
    assert nation.region_code == "CN"
    ranked = RollupFigure.objects.filter(
        measure=RollupMeasure.COMPOSITE_INDEX, year=three.year
    ).order_by("rank_in_province")
    assert [r.rank_in_province for r in ranked] == [1, 2, 3]
    # A city has no rollup figure of its own; a second store replaces, never duplicates.
    assert (
        figures.get("rollups.rapidtest.pass_rate").compute(three.cities[0], three.year).value
        is None
    )
    count = RollupFigure.objects.count()
    call_command("rollup", str(tmp_path), "--store")
    assert RollupFigure.objects.count() == count
