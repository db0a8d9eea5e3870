"""The demo's 2021 figures are the article's, computed from whole batches."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.sampling.models import NonConformityCase, SampledBatch

pytestmark = pytest.mark.django_db

ARTICLE = {
    "sampling.consumer_goods.pass_rate": (Decimal("93.06"), 1340),
    "sampling.agri.pass_rate": (Decimal("98.70"), 1000),
    "sampling.food_safety_evaluative.pass_rate": (Decimal("100.00"), 500),
    "sampling.export_legal.pass_rate": (Decimal("100.00"), 120),
}


def test_the_demo_gives_the_articles_2021_figures():
    call_command("demo", only="core", stdout=io.StringIO())
    call_command("demo", only="sampling", stdout=io.StringIO())
    city = Region.objects.get(code="430200")
    for code, (value, batches) in ARTICLE.items():
        indicator = figures.get(code)
        assert indicator is not None
        computed = indicator.compute(city, 2021)
        assert (computed.value, computed.records, computed.synthetic) == (value, batches, True), (
            code
        )
        assert indicator.records(city, 2021).count() == batches
    consumer = SampledBatch.objects.filter(plan__domain="consumer_goods", sampled_on__year=2021)
    assert consumer.filter(verdict="pass").count() == 1247
    assert NonConformityCase.objects.count() == SampledBatch.objects.filter(verdict="fail").count()
    assert not SampledBatch.objects.filter(is_synthetic=False).exists()
    assert SampledBatch.objects.filter(sampled_on__year__lt=2017).count() == 0
    assert SampledBatch.objects.filter(sampled_on__year=2017).exists()
