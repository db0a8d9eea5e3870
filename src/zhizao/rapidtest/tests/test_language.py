"""Bad input is explained in both languages: zh-Hans by default, English on request."""

import pytest
from django.utils import translation

from zhizao.rapidtest import services
from zhizao.rapidtest.models import TestRecord
from zhizao.rapidtest.tests.test_import import GOOD, write_csv

pytestmark = pytest.mark.django_db

CONTRADICTION = [*GOOD[0][:12], "75", "合格"]  # inhibition 75% is positive: "合格" contradicts it
CONTRADICTION[0] = "lang-1"


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "所填结果与检测值不符"), ("en", "contradicts")]
)
def test_a_contradicting_result_is_explained_in_the_active_language(rt, language, expected):
    with translation.override(language):
        outcome = services.import_test_records(
            rt.p.tester, write_csv([CONTRADICTION]), file_name="bad.csv"
        )
    assert not outcome.ok
    assert TestRecord.objects.count() == 0
    (error,) = outcome.errors
    assert error["row"] == 2
    assert expected in error["message"], error
