"""The XLSX template and import (all or nothing, row and column errors) and the department
figures in the registry (approved submissions only, drill-down with the evidence)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhizao.core import figures
from zhizao.plans import importing
from zhizao.plans.models import Submission, SubmissionValue
from zhizao.plans.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_set(personas):
    return factories.education_data_set(personas.department)


def _workbook(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(importing.HEADERS))
    sheet.append(list(importing.HEADINGS_ZH))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_template_names_every_figure_of_the_data_set(data_set):
    sheet = load_workbook(io.BytesIO(importing.template(data_set, "2021"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == importing.HEADERS
    assert [row[:2] for row in rows[2:]] == [
        ("2021", "dept.education.new_school_places"),
        ("2021", "dept.education.oversize_classes"),
    ]


def test_import_is_all_or_nothing_with_row_and_column_errors(personas, data_set):
    bad = _workbook(
        [
            ["2021", "dept.education.new_school_places", "", "", 500, ""],
            ["2021", "dept.education.oversize_classes", "", "", "many", ""],
            ["2021Q1", "dept.education.new_school_places", "", "", 1, ""],
            ["2022", "dept.housing.lift_retrofits", "", "", 1, ""],
            ["2023", "dept.education.new_school_places", "", "", 200000, ""],
            ["2023", "dept.education.oversize_classes", "", "", 1, ""],
        ]
    )
    with pytest.raises(ValidationError) as raised:
        importing.import_submissions(personas.clerk, data_set, bad)
    errors = raised.value.message_dict["file"]
    assert any(e.startswith("Row 4, column value: many is not a number") for e in errors)
    assert any(e.startswith("Row 5, column period: 2021Q1 is not a period") for e in errors)
    assert any(e.startswith("Row 6, column figure_code:") for e in errors)
    assert any(e.startswith("Row 7, column value:") and "above the highest" in e for e in errors)
    assert not Submission.objects.exists()


def test_a_good_import_fills_drafts(personas, data_set):
    good = _workbook(
        [
            ["2021", "dept.education.new_school_places", "", "", 15000, ""],
            ["2021", "dept.education.oversize_classes", "", "", 0, ""],
        ]
    )
    (submission,) = importing.import_submissions(personas.clerk, data_set, good)
    assert submission.status == "draft"
    assert sorted(submission.values.values_list("value", flat=True)) == [0, 15000]


def test_import_refuses_a_file_that_is_not_xlsx(personas, data_set):
    with pytest.raises(ValidationError, match="not an XLSX workbook"):
        importing.import_submissions(personas.clerk, data_set, io.BytesIO(b"a,b\n1,2\n"))


def test_figure_counts_approved_submissions_only_with_drill_down(personas, data_set):
    indicator = figures.get("dept.education.new_school_places")
    assert indicator is not None
    draft = factories.approved(data_set, "2020", (100, ""), (0, ""))
    assert indicator.compute(personas.city, 2021).value is None
    submission = factories.approved(data_set, "2021", (140, ""), (0, ""))
    figure = indicator.compute(personas.city, 2021)
    assert (figure.value, figure.records) == (140, 1)
    assert indicator.compute(personas.tianyuan, 2021).value is None  # a city department
    records = list(indicator.records(personas.city, 2021))
    assert records == list(SubmissionValue.objects.filter(submission=submission, element__order=0))
    page = personas.client("anonymous").get(
        reverse("core:figure_records", args=["dept.education.new_school_places"])
        + f"?city={personas.city.code}&year=2021"
    )
    html = page.content.decode()
    assert "evidence.pdf" in html
    assert "2021" in html
    assert data_set.name in html
    assert draft.period == "2020"


def test_no_department_figure_is_computed_by_another_app():
    from zhizao.plans.department_figures import COMPUTED_ELSEWHERE_PREFIXES, DEPARTMENT_FIGURES

    for figure in DEPARTMENT_FIGURES:
        assert figure.code.startswith("dept.")
        assert not figure.code.startswith(COMPUTED_ELSEWHERE_PREFIXES)
        assert figures.get(figure.code) is not None


def test_zhizao_figures_lists_the_department_figures(personas, data_set, capsys):
    factories.approved(data_set, "2021", (15000, ""), (0, ""))
    call_command(
        "figures", "--city", personas.city.code, "--year", "2021", "--code", "dept.education"
    )
    out = capsys.readouterr().out
    assert "dept.education.new_school_places" in out
    assert "15000" in out
