"""System checks of the security settings: production refuses to start without the key that
encrypts ID and phone numbers at rest (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def field_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from zhizao.core.fields import field_cipher

    if getattr(settings, "PRODUCTION", False) and getattr(
        settings, "ZHIZAO_FIELD_KEY_DERIVED", False
    ):
        return [_missing()]
    if not settings.ZHIZAO_FIELD_KEYS:
        return [_missing()]
    try:
        field_cipher()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="zhizao.E002")]
    return []


def _missing() -> checks.Error:
    return checks.Error(
        "ZHIZAO_FIELD_KEY is not set: production encrypts ID and phone numbers with a key from "
        "the environment (生产环境须设置 ZHIZAO_FIELD_KEY，用于加密身份证号和电话号码)",
        hint="python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'",
        id="zhizao.E001",
    )
