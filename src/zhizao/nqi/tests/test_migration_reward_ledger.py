"""Migrations nqi.0004–0006 make the fund ledger the one record of the standardization reward
grants: each existing ``RewardGrant`` becomes a ``funds.FundGrant`` (with its payment) of its
payer's programme of that year (opened when missing, its budget raised when too small), and
keeps only a link to it; backwards, the amounts come back to the registry and the adopted
ledger rows go."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("nqi", "0003_standard_awards"), ("funds", "0002_grant_made_message")]
AFTER = [("nqi", "0006_reward_grant_money_in_ledger")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reward_grants_move_into_the_ledger_and_back():
    old = _migrate(BEFORE)
    Region = old.get_model("core", "Region")
    Organization = old.get_model("core", "Organization")
    User = old.get_model("core", "User")
    Programme = old.get_model("funds", "FundProgramme")
    RewardGrant = old.get_model("nqi", "RewardGrant")
    city = Region.objects.create(code="439901", name="迁移测试市", level="city", path="")
    city.path = f"/{city.pk}/"
    city.save()
    district = Region.objects.create(
        code="439902", name="迁移测试区", level="district", parent=city, path=""
    )
    district.path = f"/{city.pk}/{district.pk}/"
    district.save()
    org = Organization.objects.create(
        name="迁移测试企业", credit_code="91439900MA00000001", kind="enterprise", region=district
    )
    user = User.objects.create(username="migration-reward-tester")
    # 2021 has a programme whose budget left is too small; 2020 has none.
    existing = Programme.objects.create(
        code="migration-reward-2021",
        kind="standardization_reward",
        level="district",
        year=2021,
        name="迁移测试区2021年标准化奖励资金",
        region=district,
        authority="迁移测试区人民政府",
        budget=Decimal("100.00"),
    )

    def reward(amount, on, reference=""):
        return RewardGrant.objects.create(
            payer=district,
            recipient=org,
            amount=Decimal(amount),
            paid_on=on,
            reason="主导制定标准",
            reference=reference,
            created_by=user,
        )

    first = reward("1000.50", dt.date(2020, 5, 1), "V-1")
    second = reward("2000.00", dt.date(2021, 5, 1))

    new = _migrate(AFTER)
    RewardGrant = new.get_model("nqi", "RewardGrant")
    Programme = new.get_model("funds", "FundProgramme")
    adopted = RewardGrant.objects.get(pk=first.pk).ledger_grant
    assert (adopted.amount, adopted.organization_id, adopted.granted_on) == (
        Decimal("1000.50"),
        org.pk,
        dt.date(2020, 5, 1),
    )
    assert adopted.source_ref == f"nqi.rewardgrant:{first.pk}"
    assert adopted.paid_total == adopted.amount
    assert adopted.payments.get().voucher == "V-1"
    opened = adopted.programme
    assert (opened.year, opened.region_id, opened.budget, opened.granted_total) == (
        2020,
        district.pk,
        Decimal("1000.50"),
        Decimal("1000.50"),
    )
    into_existing = RewardGrant.objects.get(pk=second.pk).ledger_grant
    assert into_existing.programme_id == existing.pk
    assert into_existing.payments.get().voucher == f"nqi-{second.pk}"
    raised = Programme.objects.get(pk=existing.pk)
    assert raised.granted_total == raised.budget == Decimal("2000.00")
    assert "amount" not in {f.name for f in RewardGrant._meta.fields}

    back = _migrate(BEFORE)
    RewardGrant = back.get_model("nqi", "RewardGrant")
    restored = RewardGrant.objects.get(pk=first.pk)
    assert (restored.amount, restored.recipient_id, restored.payer_id, restored.paid_on) == (
        Decimal("1000.50"),
        org.pk,
        district.pk,
        dt.date(2020, 5, 1),
    )
    assert restored.reference == "V-1"
    assert RewardGrant.objects.get(pk=second.pk).reference == ""
    assert not back.get_model("funds", "FundGrant").objects.exists()
    Programme = back.get_model("funds", "FundProgramme")
    assert list(Programme.objects.values_list("pk", "granted_total")) == [
        (existing.pk, Decimal("0.00"))
    ]
    # Leave the database as the other tests expect it (latest migrations, no rows of ours).
    RewardGrant.objects.all().delete()
    Programme.objects.all().delete()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    final = _migrate(latest)
    final.get_model("core", "Organization").objects.filter(pk=org.pk).delete()
    final.get_model("core", "User").objects.filter(pk=user.pk).delete()
    final.get_model("core", "Region").objects.filter(pk=district.pk).delete()
    final.get_model("core", "Region").objects.filter(pk=city.pk).delete()
