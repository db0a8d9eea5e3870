"""Fields whose values are encrypted at rest (GB/T 22239-2019 数据保密性; docs/security.md).

:class:`EncryptedCharField` holds ID and phone numbers: the ORM reads and writes plaintext, the
column holds a Fernet token (AES-128-CBC with HMAC-SHA256, the ``cryptography`` library). The
keys come from ``ZHIZAO_FIELD_KEY`` (``settings.ZHIZAO_FIELD_KEYS``), a comma-separated list for
rotation: values are encrypted with the first key and decrypted with any of them
(``MultiFernet``). Development and test settings derive a key from ``SECRET_KEY`` when none is
given; production refuses to start without one (system check ``zhizao.E001``).

A token is different each time the same value is encrypted, so the database cannot compare
values: the field refuses every lookup but ``isnull`` (a query on the plaintext would silently
match nothing). An empty value is stored empty, so that "no phone given" stays visible."""

from __future__ import annotations

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "ZHIZAO_FIELD_KEY is not set: ID and phone numbers cannot be encrypted "
            "(未设置 ZHIZAO_FIELD_KEY，无法加密身份证号和电话号码)"
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "ZHIZAO_FIELD_KEY must hold Fernet keys (32 url-safe base64-encoded bytes each, "
            "comma-separated) (ZHIZAO_FIELD_KEY 须为 Fernet 密钥)"
        ) from error


def field_cipher() -> MultiFernet:
    return _fernet(tuple(settings.ZHIZAO_FIELD_KEYS))


def encrypt_value(plaintext: str) -> str:
    if plaintext == "":
        return ""
    return field_cipher().encrypt(plaintext.encode()).decode()


def decrypt_value(stored: str) -> str:
    if stored == "":
        return ""
    try:
        return field_cipher().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "an encrypted field holds a value none of the keys in ZHIZAO_FIELD_KEY opens "
            "(加密字段的值无法用 ZHIZAO_FIELD_KEY 中的任何密钥解密)"
        ) from error


def is_encrypted(stored: str) -> bool:
    """Whether a stored value is a token that the current keys open."""
    try:
        field_cipher().decrypt(stored.encode())
    except InvalidToken:
        return False
    return True


def convert_columns(connection: Any, columns: list[tuple[str, str, str]], forward: bool) -> int:
    """Encrypt (``forward``) or decrypt in place the ``(table, key column, column)`` values, by
    raw SQL: the data migrations that move a column to :class:`EncryptedCharField` and back.
    Values already in the target form are left alone, so a second run changes nothing."""
    quote = connection.ops.quote_name
    changed = 0
    with connection.cursor() as cursor:
        for table, key, column in columns:
            cursor.execute(
                f"SELECT {quote(key)}, {quote(column)} FROM {quote(table)} "
                f"WHERE {quote(column)} <> ''"
            )
            for pk, value in cursor.fetchall():
                if is_encrypted(value) == forward:
                    continue
                new = encrypt_value(value) if forward else decrypt_value(value)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(key)} = %s",
                    [new, pk],
                )
                changed += 1
    return changed


class EncryptedCharField(models.CharField[Any, Any]):
    """A short text (an ID or phone number) encrypted at rest. ``max_length`` bounds the
    plaintext, as for a ``CharField``; the column is a text column that holds the token."""

    description = "Text encrypted at rest"

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection: Any) -> str | None:
        return models.TextField().cast_db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decrypt_value(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None:
            return value
        return encrypt_value(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted at rest: the database cannot compare its values "
                f"({lookup_name!r} lookup refused; 加密字段不能按值查询)"
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.name} is encrypted at rest: no {lookup_name!r} transform")
