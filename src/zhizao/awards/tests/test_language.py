"""Issue 19, "Looks and language" on the award pages: programme and city names in the page's
language (their English name on English pages), edition numbers as ordinals in both languages
(第2届 / 2nd, never "2th"), scoring band descriptions translated, numbers grouped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory, AwardLevel, ReviewStage
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.awards.tests.conftest import to_material

pytestmark = pytest.mark.django_db


def _client(personas: Any, name: str, language: str) -> Client:
    client: Client = personas.client(name)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def governor(personas: Any) -> AwardProgramme:
    return AwardProgramme.objects.create(
        code="governor",
        name="湖南省省长质量奖",
        name_en="Hunan Governor's Quality Award",
        level=AwardLevel.PROVINCIAL,
        region=personas.city.parent,
        rank=2,
    )


def _won(personas: Any, programme: AwardProgramme, number: int) -> None:
    edition = AwardEdition.objects.create(
        programme=programme, number=number, year=2010 + number, is_historic=True, award_quota=5
    )
    services.record_historic_result(
        personas.admin,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome="award",
        name_as_awarded="株洲甲公司",
        city=personas.city,
    )


def _row(page: str, programme: AwardProgramme) -> str:
    row = re.search(rf'<tr data-programme="{programme.code}">(.*?)</tr>', page, re.S)
    assert row is not None
    return re.sub(r"\s+", " ", row.group(1))


def test_tallies_name_editions_by_ordinal_and_programmes_in_the_page_language(personas, governor):
    personas.city.name_en = "Zhuzhou"
    personas.city.save()
    for number in (2, 11):
        _won(personas, governor, number)
    url = reverse("awards:tallies")

    english = _client(personas, "anonymous", "en").get(url).content.decode()
    row = _row(english, governor)
    assert "Hunan Governor&#x27;s Quality Award" in row
    assert "2 (2nd, 11th)" in row
    assert "th)" not in row.replace("11th)", "")
    assert "Government quality awards · Zhuzhou" in english
    assert "2nd (2012)" in english  # the results table names the edition by ordinal too

    chinese = _client(personas, "anonymous", "zh-hans").get(url).content.decode()
    row = _row(chinese, governor)
    assert "湖南省省长质量奖" in row
    assert "Governor" not in row
    assert "2 (第2届, 第11届)" in row


def test_edition_names_follow_the_language(personas, governor):
    edition = AwardEdition.objects.create(programme=governor, number=3, year=2019)
    url = reverse("awards:edition_list")
    assert "3rd Hunan Governor&#x27;s Quality Award (2019)" in (
        _client(personas, "anonymous", "en").get(url).content.decode()
    )
    page = _client(personas, "anonymous", "zh-hans").get(url).content.decode()
    assert "第3届 湖南省省长质量奖 (2019)" in page
    assert str(edition) == "3rd Hunan Governor's Quality Award (2019)"  # the tests' default: en


def test_scoring_bands_are_described_in_chinese(personas, application, assessors):
    to_material(personas, application)
    services.assign_assessor(personas.officer, application, personas.assessor, "material")
    url = reverse("awards:scoring", args=[application.pk, ReviewStage.MATERIAL])
    page = _client(personas, "assessor", "zh-hans").get(url).content.decode()
    assert "no systematic approach" not in page
    assert "无系统的方法" in page
    english = _client(personas, "assessor", "en").get(url).content.decode()
    assert "no systematic approach / no results" in english
