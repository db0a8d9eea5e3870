"""Notification template for a conflict of interest found after assignment (data migration; no
app model imports)."""

from django.db import migrations

TEMPLATES = [
    (
        "awards-conflict-found",
        "A conflict of interest arose after an assessor was assigned",
        "利益冲突：{{ application }}",
        "{{ assessor }}（{{ stage }}）与 {{ organization }}（{{ application }}，{{ edition }}）"
        "现有利益冲突：{{ reason }} 该评审员已无法访问此申报，请另行指派。",
        "Conflict of interest: {{ application }}",
        "{{ assessor }} ({{ stage }}) now has a conflict of interest with {{ organization }} "
        "({{ application }}, {{ edition }}): {{ reason }} The assessor no longer has access to "
        "the application; assign someone else.",
    ),
]


def create(apps, schema_editor):
    MessageTemplate = apps.get_model("core", "MessageTemplate")
    for code, description, subject_zh, body_zh, subject_en, body_en in TEMPLATES:
        MessageTemplate.objects.update_or_create(
            code=code,
            defaults={
                "description": description,
                "subject_zh": subject_zh,
                "body_zh": body_zh,
                "subject_en": subject_en,
                "body_en": body_en,
                "channels": [],
            },
        )


def remove(apps, schema_editor):
    MessageTemplate = apps.get_model("core", "MessageTemplate")
    MessageTemplate.objects.filter(code__in=[row[0] for row in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_objection_message_template"), ("core", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
