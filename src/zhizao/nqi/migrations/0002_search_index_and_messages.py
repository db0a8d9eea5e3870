"""The one-stop catalogue's full-text index, on the database in use (docs/nqi.md, "Search"):
PostgreSQL a GIN index on ``to_tsvector('simple', search_text)`` (the expression the search
queries), SQLite an FTS5 table kept by ``nqi.search.index_offering``; and the request messages."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "nqi_offering_search_gin"
FTS_TABLE = "nqi_offering_fts"


def _index():
    return GinIndex(SearchVector("search_text", config="simple"), name=INDEX_NAME)


def create_index(apps, schema_editor):
    model = apps.get_model("nqi", "ServiceOffering")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(model, _index())
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, tokenize='unicode61')"
        )


def drop_index(apps, schema_editor):
    model = apps.get_model("nqi", "ServiceOffering")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(model, _index())
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


MESSAGES = {
    "nqi_request_filed": (
        "A one-stop request was filed",
        "一站式服务新请求 #{{ number }}",
        "{{ enterprise }} 提交了一站式服务请求：{{ text }}",
        "New one-stop request #{{ number }}",
        "{{ enterprise }} filed a one-stop request: {{ text }}",
    ),
    "nqi_request_routed": (
        "A one-stop request was routed to a provider",
        "一站式服务请求 #{{ number }} 已分派给您",
        "{{ enterprise }} 的请求已分派给贵单位，请受理或退回：{{ text }}",
        "One-stop request #{{ number }} routed to you",
        "The request of {{ enterprise }} was routed to you: accept or decline it. {{ text }}",
    ),
    "nqi_request_updated": (
        "A one-stop request moved on",
        "一站式服务请求 #{{ number }}：{{ status }}",
        "{{ enterprise }} 的请求现为“{{ status }}”：{{ text }}",
        "One-stop request #{{ number }}: {{ status }}",
        "The request of {{ enterprise }} is now '{{ status }}': {{ text }}",
    ),
    "nqi_request_overdue": (
        "A one-stop request is past its promised turnaround",
        "一站式服务请求 #{{ number }} 已超期",
        "{{ enterprise }} 的请求已超过服务机构承诺的办结时限：{{ text }}",
        "One-stop request #{{ number }} is overdue",
        "The request of {{ enterprise }} is past the provider's promised turnaround: {{ text }}",
    ),
}


def add_messages(apps, schema_editor):
    template = apps.get_model("core", "MessageTemplate")
    for code, (description, subject_zh, body_zh, subject_en, body_en) in MESSAGES.items():
        template.objects.get_or_create(
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


def remove_messages(apps, schema_editor):
    apps.get_model("core", "MessageTemplate").objects.filter(code__in=list(MESSAGES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_message_delivery_log"),
        ("nqi", "0001_registers_and_onestop"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(add_messages, remove_messages),
    ]
