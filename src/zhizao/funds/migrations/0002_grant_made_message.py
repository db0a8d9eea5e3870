from django.db import migrations

CODE = "funds_grant_made"


def forwards(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.get_or_create(
        code=CODE,
        defaults={
            "description": "A fund grant was recorded for the organization",
            "subject_zh": "资金已批准: {{ programme }}",
            "body_zh": "{{ organization }} 获得 {{ programme }} 资助 ¥{{ amount }}。",
            "subject_en": "Grant recorded: {{ programme }}",
            "body_en": "{{ organization }} was granted ¥{{ amount }} by {{ programme }}.",
            "channels": ["email"],
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_message_delivery_log"),
        ("funds", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
