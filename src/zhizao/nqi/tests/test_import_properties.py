"""Property test of the accreditations importer against hostile files (issue 20); see
sampling/tests/test_import_properties.py for the defects."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.core.testing import DEFECTS, FILE_KINDS, ImporterUnderTest, check_hostile_file
from zhizao.nqi import services
from zhizao.nqi.choices import Designation
from zhizao.nqi.importing import import_accreditations
from zhizao.nqi.models import Accreditation, ScopeLine
from zhizao.standards.importing import ImportRefused

pytestmark = pytest.mark.django_db


HEADER = [
    "机构",
    "认可类型",
    "证书编号",
    "发证日期",
    "有效期至",
    "产品类别",
    "检测参数",
    "标准编号",
]
ROWS = [
    ["cnas_lab", "CNAS L2001", "2020-01-01", "2026-12-31", "硬质合金", "硬度", "GB/T 3849.1-2015"],
    ["资质认定", "202012345678", "2021-03-01", "2027-02-28", "硬质合金", "密度", "GB/T 3850-2015"],
]


@pytest.fixture
def lab(personas: Any) -> Any:
    services.register_quality_body(
        personas.officer,
        {
            "organization": personas.provider_org,
            "designation": Designation.LABORATORY,
            "turnaround_days": 5,
        },
    )
    return personas


def _importer(personas: Any) -> ImporterUnderTest:
    lab = personas.provider_org.name
    return ImporterUnderTest(
        run=lambda handle, name: import_accreditations(personas.officer, handle, name),
        count=lambda: Accreditation.objects.count() + ScopeLine.objects.count(),
        header=HEADER,
        rows=[[lab, *row] for row in ROWS],
        date_column=3,
        refusal=ImportRefused,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(defect=st.sampled_from(list(DEFECTS)), kind=st.sampled_from(FILE_KINDS))
def test_hostile_files_are_refused_whole_and_good_ones_import(lab, defect, kind):
    check_hostile_file(_importer(lab), defect, kind)


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_a_good_file_imports_in_every_encoding(lab, kind):
    check_hostile_file(_importer(lab), "none", kind)
