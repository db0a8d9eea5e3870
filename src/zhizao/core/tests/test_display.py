"""Issue 19, "Looks and language": names in the page's language (a record's English name on
English pages), edition ordinals in both languages, numbers grouped by thousands, and the demo
regions and programmes carrying English names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from zhizao.core.demo import load_regions
from zhizao.core.display import edition_ordinal, grouped, localized_name
from zhizao.core.models import Region
from zhizao.registry.choices import HolderKind, HonourKind, HonourLevel
from zhizao.registry.models import Honour


def test_ordinals_in_both_languages():
    with translation.override("en"):
        assert [edition_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
        ]  # fmt: skip
    with translation.override("zh-hans"):
        assert edition_ordinal(2) == "第2届"


def test_grouped_numbers():
    assert grouped(1100000) == "1,100,000"
    assert grouped(Decimal("98.75")) == "98.75"
    assert grouped(Decimal("12345.60")) == "12,345.60"
    assert grouped(None) == ""
    assert grouped("第3名") == "第3名"
    rendered = Template("{% load display %}{{ n|grouped }}").render(Context({"n": 1234}))
    assert rendered == "1,234"


@pytest.mark.django_db
def test_names_follow_the_language():
    region = Region.objects.create(name="天元区", name_en="Tianyuan District", level="district")
    bare = Region.objects.create(name="无英文区", level="district")
    with translation.override("en"):
        assert localized_name(region) == str(region) == "Tianyuan District"
        assert str(bare) == "无英文区"  # no English name: the Chinese one
    with translation.override("zh-hans"):
        assert str(region) == "天元区"


@pytest.mark.django_db
def test_demo_regions_have_english_names():
    load_regions()
    assert not Region.objects.filter(name_en="").exists()
    assert Region.objects.get(code="430200").name_en == "Zhuzhou"


@pytest.mark.django_db
def test_front_page_names_the_city_in_english(personas):
    personas.city.name_en = "Zhuzhou"
    personas.city.save()
    client = personas.client("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("core:home")).content.decode()
    assert "Zhuzhou quality city" in page
    assert "株洲市 quality city" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "株洲市" in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_honour_counts_are_grouped(personas):
    Honour.objects.bulk_create(
        Honour(
            kind=HonourKind.LUBAN_AWARD,
            level=HonourLevel.PROVINCIAL,
            holder_kind=HolderKind.ORGANIZATION,
            holder_name=f"公司{index}",
            city=personas.city,
        )
        for index in range(1234)
    )
    page = personas.client("anonymous").get(reverse("registry:honours")).content.decode()
    assert '<span class="count">1,234</span>' in page


@pytest.mark.django_db
def test_the_audit_trail_shows_choice_labels_not_codes(personas):
    from zhizao.core import services
    from zhizao.core.choices import OrganizationKind

    services.update_organization(
        personas.admin, personas.org_a, {"kind": OrganizationKind.INSPECTION_BODY}
    )
    client = personas.client("officer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("core:audit_log"), {"model": "core.organization"}).content.decode()
    change = page[page.index("<strong>") :]
    change = change[: change.index("</div>")]
    assert "企业 → 检验检测机构" in change
    assert "enterprise" not in change
    assert "inspection_body" not in change
