"""The public dashboard's tiles and trend charts, read from published snapshots.

Each tile names the indicator it shows and the indicators of its detail line; each chart the
indicators it draws over the published years. Titles come from the registry (both languages).
Everything is read in a fixed number of queries (:func:`build`): the region's publications,
then the figures of those snapshots for the codes below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhizao.core import figures
from zhizao.core.display import is_chinese
from zhizao.core.models import Region
from zhizao.opendata import services
from zhizao.opendata.services import PublishedValue


@dataclass(frozen=True)
class TileSpec:
    key: str
    code: str  # the figure the tile shows
    details: tuple[str, ...] = ()  # figures of the detail line


# The source article's headline figures: awards, rapid testing, standards, air, sampling,
# engineering, incidents, the one-stop service and the funds.
TILES: tuple[TileSpec, ...] = (
    TileSpec(
        "governor_awards",
        "awards.governor.winners",
        (
            "awards.governor.editions_won",
            "awards.governor.rank_in_province",
            "awards.china.winners",
        ),
    ),
    TileSpec(
        "rapidtest",
        "rapidtest.pass_rate",
        ("rapidtest.pass_rate_5y", "rapidtest.batches_5y", "rapidtest.rooms"),
    ),
    TileSpec(
        "standards",
        "standards.international",
        ("standards.national", "standards.industry", "standards.local", "standards.group"),
    ),
    TileSpec("good_air_days", "air.good_days", ("air.good_day_ratio", "air.valid_days")),
    TileSpec("composite_index", "air.composite_index", ("air.pm2_5", "air.pm10")),
    TileSpec(
        "sampling",
        "sampling.food_safety_supervisory.pass_rate",
        ("sampling.industrial.pass_rate", "sampling.agri.pass_rate"),
    ),
    TileSpec(
        "engineering",
        "engineering.first_pass_rate",
        ("engineering.transport.pass_rate", "engineering.water_conservancy.pass_rate"),
    ),
    TileSpec("incidents", "incidents.years_without_major", ("incidents.major",)),
    TileSpec("honours", "honours.china_award", ("honours.governor_award", "honours.mayor_award")),
    TileSpec(
        "onestop",
        "nqi.onestop.requests",
        ("nqi.onestop.enterprises_served", "nqi.onestop.satisfaction"),
    ),
    TileSpec(
        "funds",
        "funds.quality_award_bonus.granted",
        ("funds.standardization_reward.granted", "funds.ip_strategy.granted"),
    ),
)


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str | Promise
    codes: tuple[str, ...]


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "pass_rates",
        _("Pass rates"),
        (
            "rapidtest.pass_rate",
            "sampling.food_safety_supervisory.pass_rate",
            "sampling.industrial.pass_rate",
            "engineering.first_pass_rate",
        ),
    ),
    ChartSpec("air", _("Air quality"), ("air.good_days", "air.composite_index")),
    ChartSpec(
        "honours",
        _("Awards and standards"),
        ("awards.governor.winners", "standards.international", "honours.china_award"),
    ),
)


def shown(value: Decimal | int | None, unit: str) -> str:
    """A published value for reading: thousands grouped, no exponent, ``%`` attached."""
    if value is None:
        return "–"
    text = f"{value:,}" if isinstance(value, int) else f"{value:,f}"
    return f"{text}%" if unit == "%" else text


def _unit(unit: str) -> str:
    return "" if unit in ("%", "–", "-") else unit


@dataclass(frozen=True)
class Detail:
    title: str
    text: str
    unit: str


@dataclass(frozen=True)
class Tile:
    key: str
    code: str
    title: str
    value: str | None
    unit: str
    records: int
    link: str
    synthetic: bool
    reason: str = ""
    details: tuple[Detail, ...] = ()


@dataclass
class Dashboard:
    region: Region
    years: list[int]
    year: int | None
    tiles: list[Tile] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.year is not None

    @property
    def synthetic(self) -> bool:
        return any(tile.synthetic for tile in self.tiles)


def _title(code: str) -> str:
    indicator = figures.get(code)
    return indicator.title if indicator is not None else code


def _tile(spec: TileSpec, region: Region, year: int, found: dict[str, PublishedValue]) -> Tile:
    indicator = figures.get(spec.code)
    main = found.get(spec.code)
    link = indicator.url(region, year) if indicator is not None else ""
    if main is None:
        return Tile(spec.key, spec.code, _title(spec.code), None, "", 0, link, False)
    details = []
    synthetic = main.synthetic
    for code in spec.details:
        value = found.get(code)
        if value is None:
            continue
        details.append(Detail(_title(code), shown(value.value, value.unit), _unit(value.unit)))
        synthetic = synthetic or value.synthetic
    reason = ""
    if main.value is None:
        reason = main.reason_zh if is_chinese() else main.reason_en
    return Tile(
        key=spec.key,
        code=spec.code,
        title=_title(spec.code),
        value=None if main.value is None else shown(main.value, main.unit),
        unit=_unit(main.unit),
        records=main.records,
        link=link,
        synthetic=synthetic,
        reason=reason,
        details=tuple(details),
    )


def codes() -> set[str]:
    wanted = {spec.code for spec in TILES} | {code for spec in TILES for code in spec.details}
    return wanted | {code for chart in CHARTS for code in chart.codes}


def build(region: Region, year: int | None = None) -> Dashboard:
    """The dashboard of ``region`` for ``year`` (a published year; the latest by default).
    ``year`` not among the published years: ``ValueError``."""
    publications = services.current_publications(region)
    years = [publication.year for publication in publications]
    if year is not None and year not in years:
        raise ValueError(year)
    chosen = year if year is not None else (years[-1] if years else None)
    board = Dashboard(region=region, years=years, year=chosen)
    if chosen is None:
        return board
    by_year: dict[int, dict[str, PublishedValue]] = {}
    for value in services.published_values(publications, codes()):
        by_year.setdefault(value.year, {})[value.code] = value
    current = by_year.get(chosen, {})
    board.tiles = [_tile(spec, region, chosen, current) for spec in TILES]
    for chart in CHARTS:
        series = []
        for code in chart.codes:
            points = [by_year.get(y, {}).get(code) for y in years]
            if not any(point is not None and point.value is not None for point in points):
                continue
            unit = next(point.unit for point in points if point is not None)
            series.append(
                {
                    "code": code,
                    "name": _title(code),
                    "unit": unit,
                    "values": [point.number if point is not None else None for point in points],
                }
            )
        if series:
            board.charts.append(
                {"key": chart.key, "title": str(chart.title), "years": years, "series": series}
            )
    board.history = [
        {
            "year": y,
            "cells": [
                shown(by_year[y][spec.code].value, by_year[y][spec.code].unit)
                if spec.code in by_year.get(y, {})
                else "–"
                for spec in TILES
            ],
        }
        for y in years
    ]
    return board
