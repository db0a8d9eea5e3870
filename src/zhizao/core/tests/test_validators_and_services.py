import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from stdnum.cn import uscc

from zhizao.core import services
from zhizao.core.choices import OrganizationKind
from zhizao.core.demo import synthetic_credit_code
from zhizao.core.models import Organization
from zhizao.core.validators import validate_credit_code, validate_plain_text

# A real-format code with a correct check character, and the same with a wrong one.
GOOD = synthetic_credit_code("样例企业", "430211")
BAD_CHECK = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")


def test_generated_credit_codes_are_valid():
    assert uscc.is_valid(GOOD)
    assert not uscc.is_valid(BAD_CHECK)


def test_wrong_check_character_asks_to_check_the_whole_code():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_credit_code(BAD_CHECK)
    message = error.value.messages[0]
    assert "check character" in message
    assert "Check the whole code" in message
    # It must not tell the user which character to type: the typo may be elsewhere.
    assert "expected" not in message
    assert GOOD[17] not in message.replace("18th", "").replace("17", "").replace("32100-2015", "")


def test_wrong_check_character_message_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_credit_code(BAD_CHECK)
    message = error.value.messages[0]
    assert "校验码" in message
    assert "核对整个代码" in message
    assert "应为" not in message


@pytest.mark.parametrize(
    ("value", "code"),
    [("9143020012345", "credit_code_length"), ("91430200IOIOIOIOIO", "credit_code_format")],
)
def test_malformed_credit_codes(value, code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(value)
    assert error.value.error_list[0].code == code


def test_markup_is_refused_in_plain_text():
    validate_plain_text("株洲硬质合金集团有限公司 & 子公司")
    with pytest.raises(ValidationError):
        validate_plain_text("<script>alert(1)</script>公司")


def _data(personas, **overrides):
    data = {
        "name": "株洲样例精密制造有限公司",
        "credit_code": GOOD,
        "kind": OrganizationKind.ENTERPRISE,
        "region": personas.tianyuan,
    }
    data.update(overrides)
    return data


def test_officer_registers_an_organization(personas):
    organization = services.create_organization(personas.officer, _data(personas))
    assert organization.pk
    record = organization.history.latest()
    assert record.history_user == personas.officer
    assert record.history_type == "+"


def test_credit_code_is_normalised(personas):
    spaced = f"{GOOD[:6]} {GOOD[6:12]}-{GOOD[12:]}".lower()
    organization = services.create_organization(
        personas.officer, _data(personas, credit_code=spaced)
    )
    assert organization.credit_code == GOOD


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": BAD_CHECK}, "credit_code"),
        ({"name": "<b>粗体</b>公司"}, "name"),
        ({"name": "长" * 201}, "name"),
        ({"kind": "spaceship"}, "kind"),
        ({"region": None}, "region"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(personas, overrides, field):
    before = Organization.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_organization(personas.officer, _data(personas, **overrides))
    assert field in error.value.message_dict
    assert Organization.objects.count() == before


def test_duplicates_are_refused_by_code_and_by_name(personas):
    services.create_organization(personas.officer, _data(personas))
    with pytest.raises(ValidationError) as error:
        services.create_organization(personas.officer, _data(personas, name="另一个名字有限公司"))
    assert "credit_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_organization(
            personas.officer,
            _data(personas, credit_code=synthetic_credit_code("x", "430211")),
        )
    assert "name" in error.value.message_dict


def test_district_officer_cannot_register_outside_the_district(personas):
    with pytest.raises(PermissionDenied):
        services.create_organization(
            personas.district_officer, _data(personas, region=personas.shifeng)
        )
    services.create_organization(personas.district_officer, _data(personas))


def test_enterprise_user_changes_only_contact_details_of_own_organization(personas):
    services.update_organization(personas.alice, personas.org_a, {"contact_name": "张三"})
    personas.org_a.refresh_from_db()
    assert personas.org_a.contact_name == "张三"
    with pytest.raises(PermissionDenied):
        services.update_organization(personas.alice, personas.org_a, {"name": "改名公司"})
    with pytest.raises(PermissionDenied):
        services.update_organization(personas.alice, personas.org_b, {"contact_name": "李四"})


def test_parent_cycle_is_refused(personas):
    services.update_organization(personas.officer, personas.org_b, {"parent": personas.org_a})
    with pytest.raises(ValidationError) as error:
        services.update_organization(personas.officer, personas.org_a, {"parent": personas.org_b})
    assert "parent" in error.value.message_dict


def test_referenced_organization_cannot_be_deleted(personas):
    with pytest.raises(ValidationError):
        services.delete_organization(personas.officer, personas.org_a)  # alice belongs to it
    assert Organization.objects.filter(pk=personas.org_a.pk).exists()


def test_group_ids_cover_parent_and_subsidiaries(personas):
    services.update_organization(personas.officer, personas.org_b, {"parent": personas.org_a})
    assert personas.org_b.group_ids() == {personas.org_a.pk, personas.org_b.pk}
    assert personas.org_a.group_ids() == {personas.org_a.pk, personas.org_b.pk}
    assert personas.market.group_ids() == {personas.market.pk}
