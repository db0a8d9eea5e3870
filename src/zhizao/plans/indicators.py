"""The department figures (``dept.*``, registered from ``PlansConfig.ready``): each figure's
value for a region and year is made from the approved submissions of the departments in that
region (the year's sum or its last period, ``DepartmentFigure.aggregation``); its records are
exactly those approved values, whose drill-down names the submission and its evidence."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhizao.core.figures import Column, Indicator, Measure, Period, in_region
from zhizao.core.models import Region
from zhizao.plans.choices import Aggregation
from zhizao.plans.department_figures import DEPARTMENT_FIGURES, DepartmentFigure
from zhizao.plans.models import SubmissionValue

RULE = "部门报送、市局审核 (department submission approved by the bureau)"


def approved_values(code: str) -> Callable[[Region, int], QuerySet[SubmissionValue]]:
    def records(region: Region, year: int) -> QuerySet[SubmissionValue]:
        return (
            SubmissionValue.objects.approved()
            .filter(
                in_region(region, "submission__data_set__department__region"),
                element__figure_code=code,
                submission__year=year,
            )
            .prefetch_related("submission__evidence")
            .order_by("submission__period", "pk")
        )

    return records


def measure_of(figure: DepartmentFigure) -> Callable[[Region, int], Measure]:
    records = approved_values(figure.code)

    def measure(region: Region, year: int) -> Measure:
        rows = list(records(region, year).values_list("value", "is_synthetic"))
        if not rows:
            return Measure.missing(
                0,
                "该年没有经审核的部门报送。",
                "No approved department submission for the year.",
            )
        synthetic = any(flag for _value, flag in rows)
        if figure.aggregation == Aggregation.SUM:
            value: Decimal = sum((value for value, _flag in rows), Decimal(0))
        else:
            value = rows[-1][0]
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value
        return Measure(value, len(rows), synthetic=synthetic)

    return measure


def _evidence(row: SubmissionValue) -> str:
    return ", ".join(document.original_name for document in row.submission.evidence.all())


COLUMNS = (
    Column(_("department"), "submission__data_set__department__name"),
    Column(_("data set"), "submission__data_set__name"),
    Column(_("period"), "submission__period"),
    Column(_("value"), "value"),
    Column(_("explanation"), "explanation"),
    Column(_("reviewed"), "submission__reviewed_at"),
    Column(_("evidence"), _evidence),
)


def _indicator(figure: DepartmentFigure) -> Indicator:
    return Indicator(
        code=figure.code,
        name=figure.name,
        definition=figure.definition,
        unit=figure.unit,
        standard=RULE,
        direction=figure.direction,
        period=Period.YEAR,
        measure=measure_of(figure),
        records=approved_values(figure.code),
        columns=COLUMNS,
        select_related=("submission__data_set__department", "submission__reviewed_by"),
    )


INDICATORS = tuple(_indicator(figure) for figure in DEPARTMENT_FIGURES)
