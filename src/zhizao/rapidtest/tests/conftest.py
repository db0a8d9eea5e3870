from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from zhizao.core.choices import OrganizationKind
from zhizao.core.testing import make_organization
from zhizao.rapidtest.models import MarketProfile, Product, Stall, TestItem


@pytest.fixture
def rt(personas):
    """The personas' market with a test room and two stalls, a second market in 天元区, and
    the catalogue rows the tests use."""

    data = SimpleNamespace()
    data.p = personas
    data.market = personas.market
    MarketProfile.objects.create(organization=data.market, test_room_since="2017-01-01")
    data.stall = Stall.objects.create(market=data.market, booth_number="A01", operator_name="张三")
    Stall.objects.create(market=data.market, booth_number="A02")
    data.other_market = make_organization(
        "天元测试超市", personas.tianyuan, OrganizationKind.SUPERMARKET
    )
    MarketProfile.objects.create(organization=data.other_market)
    data.greens = Product.objects.get(name="青菜")
    data.pork = Product.objects.get(name="猪肉")
    data.enzyme = TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留")
    data.clen = TestItem.objects.get(name="克伦特罗")
    data.now = timezone.now() - timedelta(minutes=5)
    return data


def record_data(rt, **extra):
    data = {
        "market": rt.market,
        "product": rt.greens,
        "item": rt.enzyme,
        "value": "12.5",
        "tested_at": rt.now,
        "origin": "湖南长沙",
        "supplier": "某某蔬菜批发",
        "batch_kg": 30,
    }
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read messages in English (the platform's default language is zh-Hans;
    test_web_api checks a Chinese message too)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
