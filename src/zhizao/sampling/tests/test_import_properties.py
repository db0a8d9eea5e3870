"""Property test of the sampling importer against hostile files (issue 20): GB18030 or UTF-8
with a BOM, missing and extra columns, impossible dates, full-width digits, thousands
separators, huge cells, empty files, formulas in XLSX cells and an XLSX zip bomb. A good file
imports in every encoding; a bad one is refused, naming where, and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.core.tabular import ImportRefused
from zhizao.core.testing import DEFECTS, FILE_KINDS, ImporterUnderTest, check_hostile_file
from zhizao.sampling import importing
from zhizao.sampling.models import SampledBatch, TestItem

pytestmark = pytest.mark.django_db

HEADER = [
    "报告编号", "产品类别", "生产者统一社会信用代码", "销售者统一社会信用代码", "产品名称",
    "抽样日期", "检验依据", "检验项目", "检验结果", "标准要求", "单位", "单项判定",
]  # fmt: skip


def _importer(smp: Any) -> ImporterUnderTest:
    day = smp.today.isoformat()
    a, b = smp.p.org_a.credit_code, smp.p.org_b.credit_code
    rows = [
        ["R1", "儿童玩具", a, b, "积木", day, "GB 6675.1-2014", "可迁移元素铅", "0.1", "≤0.5",
         "mg/kg", ""],
        ["R2", "家用电器", b, "", "电水壶", day, "", "泄漏电流", "0.9", "≤0.75", "mA", ""],
    ]  # fmt: skip
    return ImporterUnderTest(
        run=lambda handle, name: importing.run(smp.p.officer, smp.plan, handle, name),
        count=lambda: SampledBatch.objects.count() + TestItem.objects.count(),
        header=HEADER,
        rows=rows,
        date_column=5,
        number_column=8,
        refusal=ImportRefused,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(defect=st.sampled_from(list(DEFECTS)), kind=st.sampled_from(FILE_KINDS))
def test_hostile_files_are_refused_whole_and_good_ones_import(smp, defect, kind):
    check_hostile_file(_importer(smp), defect, kind)


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_a_good_file_imports_in_every_encoding(smp, kind):
    check_hostile_file(_importer(smp), "none", kind)
