from django.db import migrations

TEMPLATES = {
    "sampling_nonconformity_notice": {
        "description": "A sampled batch does not conform: the notice to its producer and seller",
        "subject_zh": "监督抽检不合格通知: {{ product }}",
        "body_zh": "贵单位的 {{ product }} 经 {{ lab }} 检验不合格 (报告编号 {{ report }})。如有异议, 可在 {{ until }} 前申请复检。",
        "subject_en": "Supervision sampling: {{ product }} does not conform",
        "body_en": "Your {{ product }} did not conform when tested by {{ lab }} (report {{ report }}). You may request a re-test until {{ until }}.",
        "channels": ["email", "sms"],
    },
    "sampling_early_warning": {
        "description": "A producer failed supervision sampling twice in a year",
        "subject_zh": "质量预警: {{ producer }}",
        "body_zh": "{{ producer }} 在 {{ year }} 年已有 {{ failed }} 批次监督抽检不合格。",
        "subject_en": "Early warning: {{ producer }}",
        "body_en": "{{ producer }} has {{ failed }} non-conforming batches in {{ year }}.",
        "channels": ["email"],
    },
}


def forwards(apps, schema_editor):
    MessageTemplate = apps.get_model("core", "MessageTemplate")
    for code, defaults in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(code=code, defaults=defaults)


def backwards(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.filter(code__in=list(TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_message_delivery_log"),
        ("sampling", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
