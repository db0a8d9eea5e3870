"""Property test of the standards importer against hostile files (issue 20); see
sampling/tests/test_import_properties.py for the defects."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.core.testing import DEFECTS, FILE_KINDS, ImporterUnderTest, check_hostile_file
from zhizao.standards.importing import ImportRefused, import_standards
from zhizao.standards.models import Standard

pytestmark = pytest.mark.django_db


def _importer(personas: Any) -> ImporterUnderTest:
    return ImporterUnderTest(
        run=lambda handle, name: import_standards(personas.officer, handle, name),
        count=Standard.objects.count,
        header=["标准编号", "标准名称", "发布日期", "实施日期"],
        rows=[
            ["GB 3095-2012", "环境空气质量标准", "2012-02-29", "2016-01-01"],
            ["HJ 633-2012", "环境空气质量指数技术规定", "2012-02-29", "2016-01-01"],
        ],
        date_column=2,
        refusal=ImportRefused,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(defect=st.sampled_from(list(DEFECTS)), kind=st.sampled_from(FILE_KINDS))
def test_hostile_files_are_refused_whole_and_good_ones_import(personas, defect, kind):
    check_hostile_file(_importer(personas), defect, kind)


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_a_good_file_imports_in_every_encoding(personas, kind):
    check_hostile_file(_importer(personas), "none", kind)
