"""Copy the links between award results and their honours from ``registry.Honour.award_result``
to ``awards.AwardResult.honour`` (and back), in a migration of its own: the data change and the
schema changes around it run in separate transactions."""

from django.db import migrations


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
        ("awards", "0006_awardresult_honour"),
    ]
    run_before = [("registry", "0003_remove_honour_award_result")]

    operations = [migrations.RunPython(copy_links, copy_links_back)]
