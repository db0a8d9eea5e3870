"""The report's charts: their series, read from snapshots (the five years up to the report's
year), drawn by ECharts on the web page (static/reports/report.js, data in ``json_script``) and
as PNG images by Matplotlib for the PDF and the DOCX (:func:`png`), with the CJK font
WenQuanYi Micro Hei (Debian: fonts-wqy-microhei)."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from zhizao.core import figures
from zhizao.reports.models import Snapshot, SnapshotFigure

CJK_FONT = "WenQuanYi Micro Hei"
TREND_YEARS = 5
STANDARD_LEVELS = ("international", "national", "industry", "local", "group")


def _value(row: SnapshotFigure | None) -> float | None:
    return None if row is None or row.value is None else float(row.value)


def _title(code: str) -> str:
    indicator = figures.get(code)
    return indicator.title if indicator is not None else code


def charts_for(snapshot: Snapshot, current: dict[str, SnapshotFigure]) -> list[Any]:
    """The charts of the report on ``snapshot`` (``current``: its figures by code)."""
    from zhizao.reports.annual import Chart, _figures_of, comparison_snapshot

    years = list(range(snapshot.year - TREND_YEARS + 1, snapshot.year + 1))
    by_year = {
        year: current
        if year == snapshot.year
        else _figures_of(comparison_snapshot(snapshot.region, year))
        for year in years
    }
    categories = [str(year) for year in years]

    def series(code: str, kind: str) -> tuple[str, list[float | None], str]:
        return (_title(code), [_value(by_year[year].get(code)) for year in years], kind)

    charts = [
        Chart(
            "air",
            _("Air quality: composite index and good days"),
            categories,
            [series("air.composite_index", "line"), series("air.good_days", "bar")],
        ),
        Chart(
            "rapidtest",
            _("Rapid-test pass rate by year"),
            categories,
            [series("rapidtest.pass_rate", "line")],
        ),
    ]
    levels = [f"standards.{level}" for level in STANDARD_LEVELS]
    charts.append(
        Chart(
            "standards",
            _("Standards led or co-drafted, by level"),
            [_title(code) for code in levels],
            [(_("Standards"), [_value(current.get(code)) for code in levels], "bar")],
        )
    )
    return [chart for chart in charts if any(v is not None for s in chart.series for v in s[1])]


@cache
def cjk_font_path() -> str:
    """The file of the CJK font, found by Matplotlib's font manager (a clear error without it:
    Chinese labels would otherwise come out as boxes)."""
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == CJK_FONT:
            return str(entry.fname)
    found = font_manager.findfont(CJK_FONT, fallback_to_default=False)
    if not found:
        raise ImproperlyConfigured(f"font {CJK_FONT} is missing (Debian: fonts-wqy-microhei)")
    return str(found)


def png(chart: Any) -> bytes:
    """``chart`` drawn as a PNG (Matplotlib, Agg backend, CJK font)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    try:
        path = cjk_font_path()
    except ValueError as error:
        raise ImproperlyConfigured(
            f"font {CJK_FONT} is missing (Debian: fonts-wqy-microhei): {error}"
        ) from None
    font = font_manager.FontProperties(fname=path)
    drawing = Figure(figsize=(7.0, 3.2), dpi=120)
    axes = drawing.add_subplot()
    other = None
    positions = list(range(len(chart.categories)))
    for index, (name, values, kind) in enumerate(chart.series):
        target = axes
        if index == 1 and len(chart.series) == 2:
            other = axes.twinx()
            target = other
        shown = [0.0 if v is None else v for v in values]
        if kind == "bar":
            target.bar(positions, shown, color="#5470c6", alpha=0.45, label=name)
        else:
            points = [(p, v) for p, v in zip(positions, values, strict=True) if v is not None]
            target.plot(
                [p for p, _v in points],
                [v for _p, v in points],
                marker="o",
                color="#ee6666",
                label=name,
            )
        target.set_ylabel(name, fontproperties=font)
    axes.set_xticks(positions)
    axes.set_xticklabels(chart.categories, fontproperties=font)
    axes.set_title(chart.title, fontproperties=font)
    handles, labels = axes.get_legend_handles_labels()
    if other is not None:
        more_handles, more_labels = other.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    axes.legend(handles, labels, prop=font, loc="best", fontsize=8)
    drawing.tight_layout()
    buffer = io.BytesIO()
    drawing.savefig(buffer, format="png")
    return buffer.getvalue()
