"""The standards registry: codes validated and normalised by the parser, editions, succession,
withdrawal, drafters and their roles, permissions and history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from zhizao.standards import services
from zhizao.standards.choices import DraftingRole, StandardKind, StandardLevel, StandardStatus
from zhizao.standards.models import Standard, StandardDrafter
from zhizao.stdcodes import Kind, Level

pytestmark = pytest.mark.django_db


def make(personas: Any, code: str, title: str = "示例标准", **data: Any) -> Standard:
    return services.create_standard(personas.officer, {"code": code, "title": title, **data})


def test_choices_mirror_the_parser():
    assert set(StandardLevel.values) == {level.value for level in Level}
    assert set(StandardKind.values) == {kind.value for kind in Kind}


def test_code_is_parsed_and_stored_normalised(personas):
    standard = make(
        personas,
        "ＧＢ／Ｔ　１９００１—２０１６",
        "质量管理体系 要求",
        title_en="Quality management systems — Requirements",
        published_on=dt.date(2016, 12, 30),
        implemented_on=dt.date(2017, 7, 1),
        revision="revision",
    )
    standard.refresh_from_db()
    assert standard.code == "GB/T 19001-2016"
    assert standard.code_key == "GB/T 19001"
    assert (standard.body, standard.kind, standard.number, standard.part) == (
        "GB", "recommended", "19001", ""
    )  # fmt: skip
    assert (standard.year, standard.level, standard.status) == (2016, "national", "in_force")
    assert standard.history.first().history_user == personas.officer
    local = make(personas, "DB43/T 1234—2020")
    assert (local.level, local.body, local.kind) == ("local", "DB43", "recommended")
    part = make(personas, "GB/T 5009.199-2003")
    assert (part.number, part.part) == ("5009", "199")


def test_invalid_code_is_refused_with_the_parsers_reason_in_both_languages(personas):
    with pytest.raises(ValidationError) as refused:
        make(personas, "DB99/T 1-2020")
    assert "is not a province" in refused.value.message_dict["code"][0]
    assert refused.value.error_dict["code"][0].code == "unknown_province"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        make(personas, "XY 1-2000")
    assert "未知的标准代号“XY”" in refused.value.message_dict["code"][0]
    assert not Standard.objects.exists()


def test_a_record_is_an_edition_and_needs_its_year(personas):
    with pytest.raises(ValidationError, match="edition's year"):
        make(personas, "GB/T 19001")


def test_the_same_edition_written_another_way_is_a_duplicate(personas):
    make(personas, "GB/T19001-2016")
    with pytest.raises(ValidationError) as refused:
        make(personas, "GB/T 19001—2016")
    assert "code" in refused.value.message_dict
    assert Standard.objects.count() == 1


def test_matching_finds_a_standard_however_it_is_written(personas):
    new = make(personas, "GB/T 19001-2016")
    old = make(personas, "GB/T 19001-2008")
    make(personas, "GB 19001-2016")  # another kind: not the same standard
    for written in ("GB/T 19001-2016", "GB/T19001-2016", "GB/T 19001—2016", "gb/t 19001-2016"):
        assert list(Standard.objects.matching(written)) == [new]
    assert set(Standard.objects.matching("GB/T 19001")) == {new, old}
    assert not Standard.objects.matching("no such code").exists()


def test_supersede(personas):
    old = make(personas, "GB 3095-2012", "环境空气质量标准")
    new = make(personas, "GB 3095-2026", "环境空气质量标准", revision="revision")
    with pytest.raises(ValidationError, match="older than"):
        services.supersede_standard(personas.officer, new, old)
    services.supersede_standard(personas.officer, old, new)
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (StandardStatus.SUPERSEDED, new)
    assert list(new.supersedes.all()) == [old]
    assert set(Standard.objects.in_force()) == {new}
    with pytest.raises(ValidationError, match="no longer in force"):
        services.supersede_standard(personas.officer, old, new)
    with pytest.raises(ValidationError, match="cannot supersede itself"):
        services.supersede_standard(personas.officer, new, new)
    with pytest.raises(PermissionDenied):
        services.supersede_standard(personas.alice, new, old)


def test_a_superseded_standard_needs_its_successor(personas):
    standard = make(personas, "HJ 633-2012")
    standard.status = StandardStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="names the standard that supersedes it"):
        standard.full_clean()


def test_withdraw(personas):
    standard = make(personas, "HJ/T 91-2002", published_on=dt.date(2002, 12, 25))
    with pytest.raises(ValidationError, match="before its publication"):
        services.withdraw_standard(personas.officer, standard, dt.date(2001, 1, 1))
    services.withdraw_standard(personas.officer, standard, dt.date(2020, 1, 1))
    standard.refresh_from_db()
    assert (standard.status, standard.withdrawn_on) == ("withdrawn", dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="no longer in force"):
        services.withdraw_standard(personas.officer, standard, dt.date(2021, 1, 1))


def test_dates_and_fields_are_checked(personas):
    with pytest.raises(ValidationError, match="before the publication date"):
        make(
            personas,
            "GB 5749-2022",
            published_on=dt.date(2022, 3, 15),
            implemented_on=dt.date(2022, 1, 1),
        )
    with pytest.raises(ValidationError) as refused:
        services.create_standard(personas.officer, {"code": "GB 5749-2022", "level": "local"})
    assert "level" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make(personas, "GB 5749-2022", "<b>x</b>")
    assert "title" in refused.value.message_dict


def test_only_staff_keep_the_registry(personas):
    with pytest.raises(PermissionDenied):
        services.create_standard(personas.alice, {"code": "GB 5749-2022", "title": "x"})
    standard = make(personas, "GB 5749-2022")
    with pytest.raises(PermissionDenied):
        services.update_standard(personas.provider, standard, {"title": "y"})
    services.update_standard(personas.district_officer, standard, {"title": "生活饮用水卫生标准"})
    standard.refresh_from_db()
    assert standard.title == "生活饮用水卫生标准"


def test_drafters_and_their_roles(personas):
    standard = make(personas, "T/CAS 123-2019", drafting_organizations="甲测试企业有限公司\n某大学")
    led = services.set_drafter(personas.district_officer, standard, personas.org_a, "led")
    assert led.role == DraftingRole.LED
    with pytest.raises(PermissionDenied):  # 乙 is in 石峰区, outside the officer's 天元区
        services.set_drafter(personas.district_officer, standard, personas.org_b, "participated")
    with pytest.raises(PermissionDenied):
        services.set_drafter(personas.alice, standard, personas.org_a, "participated")
    services.set_drafter(personas.officer, standard, personas.org_b, "participated")
    services.set_drafter(personas.officer, standard, personas.org_a, "participated")
    roles = dict(standard.drafters.values_list("organization__name", "role"))
    assert roles == {"甲测试企业有限公司": "participated", "乙测试企业有限公司": "participated"}
    assert StandardDrafter.objects.count() == 2
    with pytest.raises(ValidationError, match="led or participated"):
        services.set_drafter(personas.officer, standard, personas.org_a, "sponsored")
    services.remove_drafter(personas.officer, standard, personas.org_b)
    assert list(standard.drafters.values_list("organization__name", flat=True)) == [
        "甲测试企业有限公司"
    ]
    assert StandardDrafter.history.filter(history_type="-").get().history_user == personas.officer


def test_admin_lists_standards(personas):
    make(personas, "ISO/IEC 17025:2017", "General requirements for the competence of laboratories")
    page = personas.client("admin").get("/admin/standards/standard/")
    assert page.status_code == 200
    assert "ISO/IEC 17025:2017" in page.content.decode()
