"""ID and phone numbers are encrypted at rest (GB/T 22239 数据保密性): the ORM sees plaintext,
the column (and its history rows) holds a Fernet token, the key comes from the environment and
rotates, and production refuses to start without one."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from zhizao.core import services
from zhizao.core.models import Organization, Person, User
from zhizao.core.testing import make_organization
from zhizao.core.tests.test_i18n_cli_settings import _run

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _raw(table: str, column: str, key: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {key} = %s", [pk])
        (value,) = cursor.fetchone()
    return str(value)


def _raw_column(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")
        return [str(value) for (value,) in cursor.fetchall()]


def test_phone_numbers_are_ciphertext_in_the_columns_and_plaintext_through_the_orm(city):
    org = make_organization("加密测试公司", city, contact_phone=PHONE)
    person = Person.objects.create(name="张三", organization=org, phone="13900001111")
    user = services.create_user(username="phoneuser", password="pw-Secret-917", role="")
    User.objects.filter(pk=user.pk).update(phone="0731-555")

    stored = _raw("core_organization", "contact_phone", "id", org.pk)
    assert PHONE not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert "13900001111" not in _raw("core_person", "phone", "id", person.pk)
    assert "0731-555" not in _raw("core_user", "phone", "id", user.pk)
    history = _raw_column("core_historicalorganization", "contact_phone")
    assert history
    assert not any(PHONE in value for value in history)

    assert Organization.objects.get(pk=org.pk).contact_phone == PHONE
    assert Person.objects.get(pk=person.pk).phone == "13900001111"
    assert User.objects.get(pk=user.pk).phone == "0731-555"
    assert org.history.first().contact_phone == PHONE
    # An empty value stays empty (no phone given), not a token of "".
    assert _raw("core_person", "phone", "id", Person.objects.create(name="李四").pk) == ""


def test_the_database_cannot_compare_encrypted_values_so_lookups_are_refused(city):
    with pytest.raises(FieldError, match="encrypted"):
        list(Organization.objects.filter(contact_phone=PHONE))
    prefix = {"phone__startswith": "138"}  # (a variable: django-stubs' plugin trips on it)
    with pytest.raises(FieldError, match="encrypted"):
        list(Person.objects.filter(**prefix))
    assert Person.objects.filter(phone__isnull=True).count() == 0


def test_keys_rotate_encrypt_with_the_first_and_decrypt_with_any(city, settings):
    old_key = settings.ZHIZAO_FIELD_KEYS[0]
    org = make_organization("轮换测试公司", city, contact_phone=PHONE)
    new_key = Fernet.generate_key().decode()
    with override_settings(ZHIZAO_FIELD_KEYS=[new_key, old_key]):
        assert Organization.objects.get(pk=org.pk).contact_phone == PHONE
        Organization.objects.filter(pk=org.pk).update(contact_phone="13700000000")
        token = _raw("core_organization", "contact_phone", "id", org.pk)
        assert Fernet(new_key.encode()).decrypt(token.encode()) == b"13700000000"
    with (
        override_settings(ZHIZAO_FIELD_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(ImproperlyConfigured, match="ZHIZAO_FIELD_KEY"),
    ):
        Organization.objects.get(pk=org.pk)


def test_the_data_migration_encrypts_existing_rows_and_reverses(city):
    # The migration's own functions on a row written as it was before (plaintext in the column).
    migration = importlib.import_module(
        "zhizao.core.migrations.0007_encrypt_existing_phone_numbers"
    )
    editor = SimpleNamespace(connection=connection)
    org = make_organization("迁移测试公司", city)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_organization SET contact_phone = %s WHERE id = %s", [PHONE, org.pk]
        )
    migration.encrypt(None, editor)
    token = _raw("core_organization", "contact_phone", "id", org.pk)
    assert PHONE not in token
    assert Organization.objects.get(pk=org.pk).contact_phone == PHONE
    migration.encrypt(None, editor)  # run twice: nothing encrypted twice
    assert _raw("core_organization", "contact_phone", "id", org.pk) == token
    migration.decrypt(None, editor)
    assert _raw("core_organization", "contact_phone", "id", org.pk) == PHONE


def test_check_deploy_in_production_refuses_a_missing_field_key(tmp_path):
    result = _run(
        ["check", "--deploy"],
        ZHIZAO_ENV="production",
        ZHIZAO_SECRET_KEY="k" * 20 + "-production-secret-from-the-environment-0123456789",
        ZHIZAO_ALLOWED_HOSTS="quality.example.org",
        ZHIZAO_DATA_DIR=str(tmp_path),
        ZHIZAO_FIELD_KEY="",
    )
    assert result.returncode != 0
    assert "zhizao.E001" in result.stderr + result.stdout
    bad = _run(
        ["check", "--deploy"],
        ZHIZAO_ENV="production",
        ZHIZAO_SECRET_KEY="k" * 20 + "-production-secret-from-the-environment-0123456789",
        ZHIZAO_ALLOWED_HOSTS="quality.example.org",
        ZHIZAO_DATA_DIR=str(tmp_path),
        ZHIZAO_FIELD_KEY="not-a-fernet-key",
    )
    assert bad.returncode != 0
    assert "zhizao.E002" in bad.stderr + bad.stdout
