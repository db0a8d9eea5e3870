from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
