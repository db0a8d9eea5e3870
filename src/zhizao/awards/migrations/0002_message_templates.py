"""Notification templates of the awards app (data migration; no app model imports)."""

from django.db import migrations

TEMPLATES = [
    (
        "awards-application-submitted",
        "An application was submitted",
        "申报已提交：{{ edition }}",
        "{{ organization }} 已提交 {{ edition }} 的申报（{{ application }}）。",
        "Application submitted: {{ edition }}",
        "{{ organization }} submitted its application {{ application }} for {{ edition }}.",
    ),
    (
        "awards-application-status",
        "An application moved to another stage of the award cycle",
        "申报状态变更：{{ application }}",
        "{{ application }}（{{ edition }}）已进入“{{ status }}”。{% if reason %}说明：{{ reason }}{% endif %}",
        "Application {{ application }}: {{ status }}",
        "Application {{ application }} ({{ edition }}) is now at “{{ status }}”."
        "{% if reason %} Reason: {{ reason }}{% endif %}",
    ),
    (
        "awards-assessor-assigned",
        "An assessor was assigned to an application",
        "评审任务：{{ application }}",
        "您已被指派评审 {{ application }}（{{ edition }}，{{ stage }}）。",
        "Review assignment: {{ application }}",
        "You have been assigned to review {{ application }} ({{ edition }}, {{ stage }}).",
    ),
    (
        "awards-result-published",
        "An award result was published",
        "获奖结果公布：{{ edition }}",
        "{{ winner }} 获得 {{ edition }} {{ outcome }}。",
        "Award result published: {{ edition }}",
        "{{ winner }}: {{ outcome }} in {{ edition }}.",
    ),
    (
        "awards-award-revoked",
        "An award was revoked",
        "质量奖撤销：{{ winner }}",
        "{{ winner }} 的 {{ edition }} 奖项已撤销。原因：{{ reason }}",
        "Award revoked: {{ winner }}",
        "The award of {{ winner }} in {{ edition }} was revoked. Reason: {{ reason }}",
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
    dependencies = [("awards", "0001_initial"), ("core", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
