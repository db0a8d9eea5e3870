"""Encrypt the stall operators' codes already stored (an ID number is personal data) and their
history rows with ZHIZAO_FIELD_KEY; the reverse decrypts them (core.fields.convert_columns)."""

from typing import Any

from django.db import migrations

from zhizao.core.fields import convert_columns

COLUMNS = [
    ("rapidtest_stall", "id", "operator_code"),
    ("rapidtest_historicalstall", "history_id", "operator_code"),
]


def encrypt(apps: Any, schema_editor: Any) -> None:
    convert_columns(schema_editor.connection, COLUMNS, forward=True)


def decrypt(apps: Any, schema_editor: Any) -> None:
    convert_columns(schema_editor.connection, COLUMNS, forward=False)


class Migration(migrations.Migration):
    dependencies = [("rapidtest", "0008_encrypted_operator_code")]

    operations = [migrations.RunPython(encrypt, decrypt)]
