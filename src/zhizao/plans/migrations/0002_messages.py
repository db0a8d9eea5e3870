from django.db import migrations

TEMPLATES = {
    "plans_task_overdue": (
        "A plan task is past its deadline",
        "任务逾期: {{ task }}",
        "《{{ plan }}》的任务“{{ task }}”（牵头部门：{{ department }}）已过截止日期 {{ deadline }}，尚未完成。",
        "Task overdue: {{ task }}",
        "The task “{{ task }}” of {{ plan }} (lead: {{ department }}) passed its deadline, {{ deadline }}, unfinished.",
    ),
    "plans_target_off_track": (
        "A plan target is off its trajectory",
        "目标进度滞后: {{ indicator }}",
        "《{{ plan }}》的目标“{{ indicator }}”{{ year }}年为 {{ value }}，按进度应达到 {{ expected }}。",
        "Target off track: {{ indicator }}",
        "The target “{{ indicator }}” of {{ plan }} stood at {{ value }} in {{ year }}; its trajectory asks for {{ expected }}.",
    ),
    "plans_submission_submitted": (
        "A department submitted a data set",
        "部门报送待审核: {{ data_set }} {{ period }}",
        "{{ department }} 报送了 {{ data_set }}（{{ period }}），请审核。",
        "Submission to review: {{ data_set }} {{ period }}",
        "{{ department }} submitted {{ data_set }} for {{ period }}: please review it.",
    ),
    "plans_submission_returned": (
        "A submission was returned to its department",
        "报送被退回: {{ data_set }} {{ period }}",
        "{{ data_set }}（{{ period }}）被退回修改。原因: {{ reason }}",
        "Submission returned: {{ data_set }} {{ period }}",
        "{{ data_set }} for {{ period }} was returned for correction. Reason: {{ reason }}",
    ),
    "plans_submission_approved": (
        "A submission was approved and locked",
        "报送已审核通过: {{ data_set }} {{ period }}",
        "{{ data_set }}（{{ period }}）已审核通过并锁定。",
        "Submission approved: {{ data_set }} {{ period }}",
        "{{ data_set }} for {{ period }} was approved and its period locked.",
    ),
}


def forwards(apps, schema_editor):
    model = apps.get_model("core", "MessageTemplate")
    for code, (description, subject_zh, body_zh, subject_en, body_en) in TEMPLATES.items():
        model.objects.get_or_create(
            code=code,
            defaults={
                "description": description,
                "subject_zh": subject_zh,
                "body_zh": body_zh,
                "subject_en": subject_en,
                "body_en": body_en,
                "channels": ["email"],
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.filter(code__in=list(TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_department_role"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
