"""Property test of the hourly air-data importer against hostile files (issue 20); see
sampling/tests/test_import_properties.py for the defects. This importer reports a refusal in
its outcome rather than raising: the adapter raises it, so the shared check applies."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.core.tabular import ImportProblem, ImportRefused
from zhizao.core.testing import DEFECTS, FILE_KINDS, ImporterUnderTest, check_hostile_file
from zhizao.environment import services
from zhizao.environment.models import AirHour
from zhizao.environment.tests.conftest import HEADER, day_rows

pytestmark = pytest.mark.django_db


def _importer(env: Any) -> ImporterUnderTest:
    def run(handle: io.BytesIO, name: str) -> None:
        outcome = services.import_air_hours(env.p.officer, handle, file_name=name)
        if not outcome.ok:
            raise ImportRefused(
                [ImportProblem(e["row"], e["column"], e["message"]) for e in outcome.errors]
                or [ImportProblem(0, "", "refused without a listed error")]
            )

    rows = [line.split(",") for line in day_rows("T001A", dt.date(2021, 3, 1))]
    return ImporterUnderTest(
        run=run,
        count=AirHour.objects.count,
        header=HEADER.split(","),
        rows=rows,
        date_column=1,
        number_column=2,
        refusal=ImportRefused,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(defect=st.sampled_from(list(DEFECTS)), kind=st.sampled_from(FILE_KINDS))
def test_hostile_files_are_refused_whole_and_good_ones_import(env, defect, kind):
    check_hostile_file(_importer(env), defect, kind)


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_a_good_file_imports_in_every_encoding(env, kind):
    check_hostile_file(_importer(env), "none", kind)
