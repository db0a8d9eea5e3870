"""An award result points at its honour in the registry (the awards app feeds the registry,
which no longer knows about awards). The existing links are copied from
``registry.Honour.award_result`` before the registry drops that field (run_before)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Honour = apps.get_model("registry", "Honour")
    AwardResult = apps.get_model("awards", "AwardResult")
    for honour_id, result_id in Honour.objects.filter(award_result__isnull=False).values_list(
        "pk", "award_result_id"
    ):
        AwardResult.objects.filter(pk=result_id).update(honour_id=honour_id)


def copy_links_back(apps, schema_editor):
    Honour = apps.get_model("registry", "Honour")
    AwardResult = apps.get_model("awards", "AwardResult")
    for result_id, honour_id in AwardResult.objects.filter(honour__isnull=False).values_list(
        "pk", "honour_id"
    ):
        Honour.objects.filter(pk=honour_id).update(award_result_id=result_id)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0005_conflict_message_template"),
        ("registry", "0002_honour_withdrawn_message"),
    ]
    run_before = [("registry", "0003_remove_honour_award_result")]

    operations = [
        migrations.AddField(
            model_name="awardresult",
            name="honour",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="award_result",
                to="registry.honour",
                verbose_name="honour",
            ),
        ),
        migrations.AddField(
            model_name="historicalawardresult",
            name="honour",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="registry.honour",
                verbose_name="honour",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
