"""Encrypt the phone numbers already stored (and their history rows) with ZHIZAO_FIELD_KEY;
the reverse decrypts them. Raw SQL: the fields' own conversion would try to decrypt the
plaintext that this migration is about to encrypt."""

from typing import Any

from django.db import migrations

from zhizao.core.fields import convert_columns

COLUMNS = [
    ("core_organization", "id", "contact_phone"),
    ("core_historicalorganization", "history_id", "contact_phone"),
    ("core_person", "id", "phone"),
    ("core_historicalperson", "history_id", "phone"),
    ("core_user", "id", "phone"),
    ("core_historicaluser", "history_id", "phone"),
]


def encrypt(apps: Any, schema_editor: Any) -> None:
    convert_columns(schema_editor.connection, COLUMNS, forward=True)


def decrypt(apps: Any, schema_editor: Any) -> None:
    convert_columns(schema_editor.connection, COLUMNS, forward=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_encrypted_phone_fields")]

    operations = [migrations.RunPython(encrypt, decrypt)]
