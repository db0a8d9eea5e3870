"""The registry's side of the awards feed (record_award_honour / revoke_award_honour, the link
kept on the award result), update_honour, the staff console through the services, and the
award ladder read from the registry's own honours."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.models import Region
from zhizao.core.testing import spy_row_locks
from zhizao.registry import services
from zhizao.registry.choices import HolderKind, HonourKind
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db


def _award(personas, kind=HonourKind.MAYOR_AWARD, **extra):
    data = {
        "kind": kind,
        "year": 2020,
        "holder_kind": HolderKind.ORGANIZATION,
        "holder_name": personas.org_a.name,
        "city": personas.city,
        "evidence": "第3届 · 获奖",
        "organization": personas.org_a,
        **extra,
    }
    return services.AwardHonour(**data)


def test_an_award_honour_is_recorded_refreshed_and_revoked_with_its_actor(personas):
    honour = services.record_award_honour(personas.officer, None, _award(personas))
    assert (honour.level, honour.is_award) == ("city", True)
    assert honour.history.latest().history_user == personas.officer
    again = services.record_award_honour(
        personas.admin, honour, _award(personas, holder_name="甲测试企业(更名)")
    )
    assert again.pk == honour.pk
    assert Honour.objects.count() == 1
    assert again.history.latest().history_user == personas.admin
    when = timezone.now()
    revoked = services.revoke_award_honour(personas.officer, again, when)
    assert revoked.revoked_at == when
    assert revoked.history.latest().history_user == personas.officer


def test_the_feed_records_award_kinds_only(personas):
    with pytest.raises(ValidationError) as error:
        services.record_award_honour(
            personas.officer, None, _award(personas, kind=HonourKind.LUBAN_AWARD)
        )
    assert "kind" in error.value.message_dict
    typed = services.create_honour(
        personas.officer,
        {
            "kind": HonourKind.LUBAN_AWARD,
            "holder_kind": HolderKind.PROJECT,
            "holder_name": "示例工程",
            "city": personas.city,
        },
    )
    with pytest.raises(ValidationError, match="government quality award"):
        services.revoke_award_honour(personas.officer, typed, timezone.now())
    assert Honour.objects.get(pk=typed.pk).revoked_at is None
    assert Honour.objects.count() == 1


@pytest.fixture
def mayor_edition(personas):
    programme = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )
    return AwardEdition.objects.create(
        programme=programme, number=3, year=2020, is_historic=True, award_quota=5
    )


def test_the_award_result_keeps_the_link_and_the_ladder_reads_the_registry(personas, mayor_edition):
    result = award_services.record_historic_result(
        personas.officer,
        mayor_edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded=personas.org_a.name,
        organization=personas.org_a,
        city=personas.city,
        publish=False,
    )
    assert result.honour is None
    assert not Honour.objects.exists()
    award_services.publish_result(personas.officer, result)
    result.refresh_from_db()
    assert result.honour is not None
    assert (result.honour.kind, result.honour.year) == (HonourKind.MAYOR_AWARD, 2020)
    assert services.award_ladder(personas.org_a) == [result.honour]
    page = personas.client("anonymous").get(
        reverse("registry:organization", args=[personas.org_a.pk])
    )
    ladder = page.content.decode().split('id="ladder"')[1].split("</ol>")[0]
    # The evidence is recorded in Chinese, whatever the page's language (English here).
    assert "2020" in ladder
    assert "第3届 株洲市市长质量奖 (2020) · 质量奖" in ladder
    assert personas.org_a.name in ladder
    award_services.revoke_result(personas.officer, result, "抽检不合格")
    assert services.award_ladder(personas.org_a) == []
    assert Honour.objects.get(pk=result.honour_id).revoked_at is not None


def test_the_ladder_climbs_from_the_city_award(personas):
    national = services.record_award_honour(
        personas.admin, None, _award(personas, kind=HonourKind.CHINA_QUALITY_AWARD, year=2018)
    )
    provincial = services.record_award_honour(
        personas.admin, None, _award(personas, kind=HonourKind.GOVERNOR_AWARD, year=2021)
    )
    city = services.record_award_honour(personas.admin, None, _award(personas, year=2022))
    services.create_honour(
        personas.officer,
        {
            "kind": HonourKind.LUBAN_AWARD,
            "holder_kind": HolderKind.PROJECT,
            "holder_name": "甲工程",
            "organization": personas.org_a,
            "city": personas.city,
        },
    )
    assert services.award_ladder(personas.org_a) == [city, provincial, national]


@pytest.fixture
def honour(personas):
    return services.create_honour(
        personas.officer,
        {
            "kind": HonourKind.WELL_KNOWN_TRADEMARK,
            "holder_kind": HolderKind.PRODUCT,
            "holder_name": "甲牌",
            "organization": personas.org_a,
            "city": personas.city,
        },
    )


def test_update_honour_is_for_staff_of_its_city_and_audited(personas, honour, monkeypatch):
    for name in ("district_officer", "alice", "tester", "assessor", "committee"):
        with pytest.raises(PermissionDenied):
            services.update_honour(getattr(personas, name), honour, {"holder_name": "乙牌"})
    assert Honour.objects.get(pk=honour.pk).holder_name == "甲牌"
    locks = spy_row_locks(monkeypatch)
    changed = services.update_honour(
        personas.officer, honour, {"kind": HonourKind.MADRID_TRADEMARK, "year": 2019}
    )
    assert locks == [Honour]
    assert (changed.kind, changed.level, changed.year) == ("madrid_trademark", "national", 2019)
    assert changed.history.latest().history_user == personas.officer
    # Moved to another city: only staff of that city too.
    changsha = Region.objects.get(code="430100")
    with pytest.raises(PermissionDenied):
        services.update_honour(personas.officer, honour, {"city": changsha})
    with pytest.raises(ValidationError, match="published award results"):
        services.update_honour(personas.officer, honour, {"kind": HonourKind.MAYOR_AWARD})
    with pytest.raises(ValidationError) as error:
        services.update_honour(personas.officer, honour, {"level": "city"})
    assert "level" in error.value.message_dict
    assert Honour.objects.get(pk=honour.pk).kind == HonourKind.MADRID_TRADEMARK


def test_an_award_honour_is_not_updated_nor_withdrawn_by_hand(personas):
    award = services.record_award_honour(personas.officer, None, _award(personas))
    with pytest.raises(ValidationError, match="follows its award result"):
        services.update_honour(personas.officer, award, {"holder_name": "改名"})
    with pytest.raises(ValidationError, match="revoked"):
        services.withdraw_honour(personas.officer, award, "撤销")
    assert Honour.objects.get(pk=award.pk).holder_name == personas.org_a.name


def test_the_admin_adds_and_corrects_through_the_services(personas, honour):
    client = personas.client("admin")
    response = client.post(
        reverse("admin:registry_honour_add"),
        {
            "kind": HonourKind.LUBAN_AWARD,
            "year": 2021,
            "holder_kind": HolderKind.PROJECT,
            "holder_name": "丙工程",
            "city": personas.city.pk,
            "evidence": "",
        },
    )
    assert response.status_code == 302
    added = Honour.objects.get(holder_name="丙工程")
    assert (added.level, added.created_by) == ("national", personas.admin)
    assert added.history.latest().history_user == personas.admin
    url = reverse("admin:registry_honour_change", args=[honour.pk])
    response = client.post(
        url,
        {
            "kind": HonourKind.WELL_KNOWN_TRADEMARK,
            "year": 2020,
            "holder_kind": HolderKind.PRODUCT,
            "holder_name": "甲牌",
            "organization": personas.org_a.pk,
            "city": personas.city.pk,
            "evidence": "商标局公告",
        },
    )
    assert response.status_code == 302
    row = Honour.objects.get(pk=honour.pk).history.latest()
    assert (row.evidence, row.year, row.history_user) == ("商标局公告", 2020, personas.admin)
    # No delete page: an honour is withdrawn with a reason, not deleted.
    delete = client.get(reverse("admin:registry_honour_delete", args=[honour.pk]))
    assert delete.status_code == 403
    # An award's honour: view only.
    award = services.record_award_honour(personas.officer, None, _award(personas))
    award_url = reverse("admin:registry_honour_change", args=[award.pk])
    assert client.post(award_url, {"holder_name": "改名"}).status_code == 403
    assert Honour.objects.get(pk=award.pk).holder_name == personas.org_a.name
