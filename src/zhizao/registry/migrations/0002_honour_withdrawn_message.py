from django.db import migrations

CODE = "registry_honour_withdrawn"


def forwards(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.get_or_create(
        code=CODE,
        defaults={
            "description": "An honour was withdrawn from the registry",
            "subject_zh": "荣誉已撤销: {{ honour }}",
            "body_zh": "{{ holder }} 的 {{ honour }} 已从质量荣誉名录中撤销。原因: {{ reason }}",
            "subject_en": "Honour withdrawn: {{ honour }}",
            "body_en": "The {{ honour }} of {{ holder }} was withdrawn from the honours registry. Reason: {{ reason }}",
            "channels": ["email"],
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_message_delivery_log"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
