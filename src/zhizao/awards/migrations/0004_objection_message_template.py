"""Notification template for objections filed on the public form (data migration; no app model
imports)."""

from django.db import migrations

TEMPLATES = [
    (
        "awards-objection-filed",
        "An objection was filed on the public notice form",
        "公示异议：{{ application }}",
        "{{ objector }} 对 {{ organization }}（{{ application }}，{{ edition }}）的公示提出异议："
        "{{ excerpt }}",
        "Objection filed: {{ application }}",
        "{{ objector }} filed an objection to the public notice of {{ organization }} "
        "({{ application }}, {{ edition }}): {{ excerpt }}",
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
    dependencies = [("awards", "0003_public_objections"), ("core", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
