"""Migration awards.0006_awardresult_honour moves the link between a result and its honour from
the registry (``Honour.award_result``) to the award result (``AwardResult.honour``), before
registry.0003 drops the registry's field; backwards it copies the link back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("awards", "0005_conflict_message_template"),
    ("registry", "0002_honour_withdrawn_message"),
]
AFTER = [("awards", "0006_awardresult_honour"), ("registry", "0003_remove_honour_award_result")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_link_moves_to_the_award_result_and_back():
    old = _migrate(BEFORE)
    Region = old.get_model("core", "Region")
    Programme = old.get_model("awards", "AwardProgramme")
    Edition = old.get_model("awards", "AwardEdition")
    Result = old.get_model("awards", "AwardResult")
    Honour = old.get_model("registry", "Honour")
    city = Region.objects.create(code="439901", name="迁移测试市", level="city")
    programme = Programme.objects.create(
        code="zhuzhou-mayor-quality-award-m", name="市长质量奖", level="city", region=city, rank=1
    )
    edition = Edition.objects.create(programme=programme, number=1, year=2019)

    def result(name):
        return Result.objects.create(
            edition=edition,
            category="organization",
            outcome="award",
            name_as_awarded=name,
            city=city,
        )

    linked, unlinked = result("甲公司"), result("乙公司")
    honour = Honour.objects.create(
        kind="mayor_award",
        level="city",
        holder_kind="organization",
        holder_name="甲公司",
        city=city,
        award_result_id=linked.pk,
    )
    typed = Honour.objects.create(
        kind="luban_award", level="national", holder_kind="project", holder_name="工程", city=city
    )

    new = _migrate(AFTER)
    Result = new.get_model("awards", "AwardResult")
    assert Result.objects.get(pk=linked.pk).honour_id == honour.pk
    assert Result.objects.get(pk=unlinked.pk).honour_id is None
    assert "award_result" not in {f.name for f in new.get_model("registry", "Honour")._meta.fields}

    back = _migrate(BEFORE)
    Honour = back.get_model("registry", "Honour")
    assert Honour.objects.get(pk=honour.pk).award_result_id == linked.pk
    assert Honour.objects.get(pk=typed.pk).award_result_id is None
    _migrate(AFTER)
    # Leave the database as the other tests expect it (latest migrations, no rows of ours).
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    final = _migrate(latest)
    final.get_model("awards", "AwardResult").objects.filter(
        edition__programme=programme.pk
    ).delete()
    final.get_model("registry", "Honour").objects.filter(pk__in=[honour.pk, typed.pk]).delete()
    final.get_model("awards", "AwardEdition").objects.filter(pk=edition.pk).delete()
    final.get_model("awards", "AwardProgramme").objects.filter(pk=programme.pk).delete()
    final.get_model("core", "Region").objects.filter(pk=city.pk).delete()
