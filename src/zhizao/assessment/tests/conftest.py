from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Uploaded documents go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """These tests read messages in English (the platform's default language is zh-Hans)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def evidence_indicators() -> Any:
    from zhizao.assessment.tests import factories
    from zhizao.core import figures

    figures.register(factories.ORGANIZATIONS)
    yield
    figures.unregister(factories.ORGANIZATIONS.code)
