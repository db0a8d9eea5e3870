"""An award result points at its honour in the registry (the awards app feeds the registry,
which no longer knows about awards). The existing links are copied from
``registry.Honour.award_result`` by 0007 (its own transaction: PostgreSQL will not alter a table
with pending trigger events) before the registry drops that field (run_before)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0005_conflict_message_template"),
        ("registry", "0002_honour_withdrawn_message"),
    ]

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
    ]
