"""The registry stops pointing at awards: the link between an award result and its honour now
lives on the award result (awards 0006_awardresult_honour copies it there first, run_before)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_honour_withdrawn_message"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalhonour",
            name="award_result",
        ),
        migrations.RemoveField(
            model_name="honour",
            name="award_result",
        ),
    ]
