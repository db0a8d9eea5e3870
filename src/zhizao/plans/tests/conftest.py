from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _english(settings: Any, tmp_path: Any) -> Any:
    """These tests read messages in English; uploads go to a temporary media root."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with translation.override("en"):
        yield
