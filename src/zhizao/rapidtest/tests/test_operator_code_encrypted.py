"""A stall operator's code may be their ID number (身份证号): encrypted at rest, read through
the ORM as typed (core.fields.EncryptedCharField; docs/security.md)."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from zhizao.rapidtest.models import Stall

pytestmark = pytest.mark.django_db

ID_NUMBER = "430202199001011234"


def _stored(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT operator_code FROM rapidtest_stall WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_operator_code_is_ciphertext_in_the_column(personas):
    stall = Stall.objects.create(
        market=personas.market, booth_number="B07", operator_name="张三", operator_code=ID_NUMBER
    )
    assert ID_NUMBER not in _stored(stall.pk)
    assert Stall.objects.get(pk=stall.pk).operator_code == ID_NUMBER
    with connection.cursor() as cursor:
        cursor.execute("SELECT operator_code FROM rapidtest_historicalstall")
        assert all(ID_NUMBER not in value for (value,) in cursor.fetchall())
    # The data migration, both ways, on a row written as before (plaintext in the column).
    migration = importlib.import_module(
        "zhizao.rapidtest.migrations.0009_encrypt_existing_operator_codes"
    )
    editor = SimpleNamespace(connection=connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rapidtest_stall SET operator_code = %s WHERE id = %s", [ID_NUMBER, stall.pk]
        )
    migration.encrypt(None, editor)
    assert ID_NUMBER not in _stored(stall.pk)
    migration.decrypt(None, editor)
    assert _stored(stall.pk) == ID_NUMBER
