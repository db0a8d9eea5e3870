from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from zhizao.core.choices import OrganizationKind
from zhizao.sampling import services
from zhizao.sampling.choices import AuthorityLevel, Domain


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """These tests read messages in English (the platform's default language is zh-Hans)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def smp(personas):
    """A lab, this year's consumer-goods plan of the city (two categories) and one of 天元区,
    and a helper that builds a batch of org A sold by org B."""
    data = SimpleNamespace(p=personas)
    data.today = timezone.localdate()
    data.year = data.today.year
    data.lab = services.create_lab(personas.officer, personas.provider_org, cma_number="CMA-1")
    data.plan = services.create_plan(
        personas.officer,
        categories={"儿童玩具": 10, "家用电器": 5},
        year=data.year,
        domain=Domain.CONSUMER_GOODS,
        title="消费品抽检计划",
        authority="株洲市市场监督管理局",
        level=AuthorityLevel.CITY,
        region=personas.city,
        lab=data.lab,
    )
    data.number = 0

    def batch_input(
        *, value: str = "0.1", limit: str = "≤0.5", **extra: Any
    ) -> services.BatchInput:
        data.number += 1
        fields: dict[str, Any] = {
            "category": "儿童玩具",
            "producer": personas.org_a,
            "seller": personas.org_b,
            "product": "积木",
            "sampled_on": data.today - dt.timedelta(days=1),
            "report_number": f"R-{data.number:03d}",
            "standards": ["GB 6675.1-2014"],
            "items": [
                services.ItemInput(name="可迁移元素铅", value=value, limit=limit, unit="mg/kg"),
                services.ItemInput(name="标签", verdict="合格"),
            ],
        }
        fields.update(extra)
        return services.BatchInput(**fields)

    data.batch_input = batch_input
    data.kind = OrganizationKind
    return data
