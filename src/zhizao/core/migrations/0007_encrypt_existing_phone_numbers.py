"""Encrypt the phone numbers already stored (and their history rows) with ZHIZAO_FIELD_KEY;
the reverse decrypts them. Raw SQL: the fields' own conversion would try to decrypt the
plaintext that this migration is about to encrypt."""

from typing import Any

from django.db import migrations

COLUMNS = [
    ("core_organization", "id", "contact_phone"),
    ("core_historicalorganization", "history_id", "contact_phone"),
    ("core_person", "id", "phone"),
    ("core_historicalperson", "history_id", "phone"),
    ("core_user", "id", "phone"),
    ("core_historicaluser", "history_id", "phone"),
]


def _convert(schema_editor: Any, forward: bool) -> None:
    from zhizao.core.fields import decrypt_value, encrypt_value, is_encrypted

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, key, column in COLUMNS:
            cursor.execute(
                f"SELECT {quote(key)}, {quote(column)} FROM {quote(table)} "
                f"WHERE {quote(column)} <> ''"
            )
            for pk, value in cursor.fetchall():
                if forward and is_encrypted(value):
                    continue  # already encrypted (the migration ran before, then was faked back)
                if not forward and not is_encrypted(value):
                    continue
                new = encrypt_value(value) if forward else decrypt_value(value)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(key)} = %s",
                    [new, pk],
                )


def encrypt(apps: Any, schema_editor: Any) -> None:
    _convert(schema_editor, forward=True)


def decrypt(apps: Any, schema_editor: Any) -> None:
    _convert(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_encrypted_phone_fields")]

    operations = [migrations.RunPython(encrypt, decrypt)]
