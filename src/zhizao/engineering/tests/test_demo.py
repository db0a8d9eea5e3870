"""The engineering and incident demos give the article's 2021 figures."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.engineering.models import Project, ProjectHonour

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_articles_2021_figures():
    for name in ("core", "registry", "incidents", "engineering"):
        call_command("demo", only=name, stdout=io.StringIO())
    city = Region.objects.get(code="430200")
    found = {
        code: figures.get(code).compute(city, 2021)
        for code in (
            "engineering.first_pass_rate",
            "engineering.water_conservancy.pass_rate",
            "engineering.transport.pass_rate",
            "incidents.major",
            "incidents.years_without_major",
        )
    }
    for code in (
        "engineering.first_pass_rate",
        "engineering.water_conservancy.pass_rate",
        "engineering.transport.pass_rate",
    ):
        assert found[code].value == Decimal("100.00"), code
        assert found[code].synthetic
    assert found["engineering.first_pass_rate"].records == 24
    assert found["incidents.major"].value == 0
    assert found["incidents.years_without_major"].value == 5
    earlier = figures.get("engineering.first_pass_rate").compute(city, 2019).value
    assert isinstance(earlier, Decimal)
    assert earlier < 100  # the generated earlier years have re-acceptances
    assert ProjectHonour.objects.filter(honour__kind="luban_award").count() == 4
    assert ProjectHonour.objects.filter(honour__kind="furong_award").count() == 49
    assert not Project.objects.filter(is_synthetic=False).exists()
