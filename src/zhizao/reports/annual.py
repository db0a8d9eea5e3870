"""The content of the annual quality report, read from snapshots (docs/reports.md): per
section (reports/sections.py) each published figure with the previous year's and the base
year's, its unit, source, target and direction, and a link to its drill-down; the narrative
filled from the figures; the charts' series. The renderers (reports/rendering.py) turn one
:class:`Report` into HTML, PDF or DOCX, so the three formats cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from zhizao.core import figures
from zhizao.core.actors import system_actor
from zhizao.core.display import grouped
from zhizao.core.models import Region
from zhizao.indicators import targets as engine
from zhizao.plans.models import Target
from zhizao.reports import narrative, sections
from zhizao.reports.choices import SnapshotState
from zhizao.reports.models import SectionText, Snapshot, SnapshotFigure


@dataclass(frozen=True)
class TargetView:
    value: str
    year: int
    baseline: str
    baseline_year: int
    expected: str
    on_track: bool | None
    description: str


@dataclass(frozen=True)
class Row:
    code: str
    title: str
    value: str  # formatted, or "" when the figure has no value
    reason: str  # why there is no value ("" when there is one)
    unit: str
    records: int
    synthetic: bool
    previous: str
    base: str
    standard: str
    direction: str
    target: TargetView | None
    url: str


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    rows: list[Row]
    sentences: list[str]
    notes: list[narrative.Note]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    categories: list[str]
    # (name, values, kind: "line" or "bar")
    series: list[tuple[str, list[float | None], str]]


@dataclass(frozen=True)
class Report:
    snapshot: Snapshot
    region: Region
    year: int
    previous_year: int
    base_year: int
    language: str
    title: str
    sections: list[SectionView]
    charts: list[Chart]
    figures: dict[str, SnapshotFigure] = field(default_factory=dict)


def comparison_snapshot(region: Region, year: int) -> Snapshot:
    """The snapshot a report compares with for ``year``: the published one, else the latest
    finished one, else one taken now (by the system actor: the figures are the registry's)."""
    from zhizao.reports import services

    found = services.published_snapshot(region, year)
    if found is None:
        found = (
            Snapshot.objects.filter(region=region, year=year, state=SnapshotState.DONE)
            .order_by("-computed_at", "-pk")
            .first()
        )
    if found is None:
        found = services.take_snapshot(system_actor(), region, year)
    return found


def _figures_of(snapshot: Snapshot) -> dict[str, SnapshotFigure]:
    from zhizao.reports import services

    return services.snapshot_figures(snapshot)


def _shown(row: SnapshotFigure | None) -> str:
    if row is None or row.value is None:
        return ""
    return grouped(row.typed_value)


def _number(value: Decimal) -> str:
    return grouped(value.normalize() if value != value.to_integral() else int(value))


def _targets(region: Region, codes: list[str], year: int) -> dict[str, Target]:
    """Per code the plan target that applies to ``year``: the nearest target year not before
    it, else the latest one."""
    chosen: dict[str, Target] = {}
    for target in Target.objects.filter(plan__city=region, indicator_code__in=codes).order_by(
        "target_year", "pk"
    ):
        known = chosen.get(target.indicator_code)
        if known is None or known.target_year < year:
            chosen[target.indicator_code] = target
    return chosen


def _target_view(
    target: Target, row: SnapshotFigure | None, direction: str, year: int
) -> TargetView:
    expected = engine.trajectory_value(
        target.baseline_year,
        float(target.baseline_value),
        target.target_year,
        float(target.target_value),
        year,
    )
    value = None if row is None else row.typed_value
    on_track = None if value is None else engine.on_track(float(value), expected, direction)
    return TargetView(
        value=_number(target.target_value),
        year=target.target_year,
        baseline=_number(target.baseline_value),
        baseline_year=target.baseline_year,
        expected=grouped(Decimal(str(round(expected, 2))).normalize()),
        on_track=on_track,
        description=target.description,
    )


def section_template(region: Region, section: str, language: str) -> str:
    """The narrative template of a section: the region's own text, else the shipped one."""
    from zhizao.reports.default_texts import default_text

    stored = SectionText.objects.filter(region=region, section=section, language=language).first()
    return stored.template if stored is not None else default_text(section, language)


def build(snapshot: Snapshot, language: str, *, base_year: int | None = None) -> Report:
    """The report on ``snapshot`` in ``language`` ("zh-hans" or "en")."""
    region, year = snapshot.region, snapshot.year
    base = sections.BASE_YEAR if base_year is None else base_year
    current = _figures_of(snapshot)
    previous = _figures_of(comparison_snapshot(region, year - 1))
    based = _figures_of(comparison_snapshot(region, base)) if base != year else current
    chinese = language.startswith("zh")
    with translation.override(language):
        targets = _targets(region, list(current), year)
        views = []
        for section in sections.SECTIONS:
            rows = []
            for code in sections.codes_of(section):
                indicator = figures.get(code)
                row = current.get(code)
                if indicator is None or row is None:
                    continue  # staff-only indicators are not in the report
                target = targets.get(code)
                rows.append(
                    Row(
                        code=code,
                        title=indicator.title,
                        value=_shown(row),
                        reason=""
                        if row.value is not None
                        else (row.reason_zh if chinese else row.reason_en),
                        unit=row.unit,
                        records=row.records,
                        synthetic=row.synthetic,
                        previous=_shown(previous.get(code)),
                        base=_shown(based.get(code)),
                        standard=indicator.standard,
                        direction=str(figures.Direction(indicator.direction).label),
                        target=None
                        if target is None
                        else _target_view(target, row, indicator.direction, year),
                        url=indicator.url(region, year),
                    )
                )
            told = narrative.fill(
                section_template(region, section.key, language), current, year=year, chinese=chinese
            )
            views.append(SectionView(section.key, section.title, rows, told.sentences, told.notes))
        from zhizao.reports.charts import charts_for

        title = (
            f"{region.name}{year}年质量发展报告"
            if chinese
            else f"{region.name_en or region.name} quality report {year}"
        )
        return Report(
            snapshot=snapshot,
            region=region,
            year=year,
            previous_year=year - 1,
            base_year=base,
            language=language,
            title=title,
            sections=views,
            charts=charts_for(snapshot, current),
            figures=current,
        )
