from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """These tests read messages in English (the platform's default language is zh-Hans)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
