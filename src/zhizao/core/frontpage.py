"""The public front page's headline tiles, read from the indicator registry: each tile names the
figure it shows and the figures of its detail line. The page shows the latest year in which
every tile's figure has records; a tile whose figure has no value (or no indicator registered
yet), or that was computed from no records, reads "no data yet"."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from zhizao.core import figures
from zhizao.core.figures import Figure
from zhizao.core.models import Region


@dataclass(frozen=True)
class Part:
    """One count of a tile's detail line in its plural form: ``text`` is an ``ngettext_lazy``
    whose form is chosen by "count" and whose ``%(n)s`` is the grouped value ("1,100 batches")."""

    code: str
    text: Promise


@dataclass(frozen=True)
class Tile:
    key: str
    title: Promise
    code: str  # the figure the tile shows
    details: tuple[Part, ...] = ()  # the detail line, joined with " · "
    suffix: Promise | None = None  # "%(name)s", added to the detail when its figure has a value
    suffix_code: str = ""


TILES: tuple[Tile, ...] = (
    Tile(
        "rapidtest_pass_rate",
        _("Rapid-test pass rate of edible agricultural products"),
        "rapidtest.pass_rate_5y",
        (
            Part("rapidtest.batches_5y", ngettext_lazy("%(n)s batch", "%(n)s batches", "count")),
            Part("rapidtest.rooms", ngettext_lazy("%(n)s room", "%(n)s rooms", "count")),
        ),
    ),
    Tile("good_air_days", _("Days of good air quality"), "air.good_days"),
    Tile("composite_index", _("Air quality composite index"), "air.composite_index"),
    Tile(
        "governor_award_tally",
        _("Hunan Governor's Quality Award winners"),
        "awards.governor.winners",
        (
            Part(
                "awards.governor.editions_won",
                ngettext_lazy("%(n)s edition", "%(n)s editions", "count"),
            ),
            Part(
                "awards.governor.organizations",
                ngettext_lazy("%(n)s organization", "%(n)s organizations", "count"),
            ),
            Part(
                "awards.governor.individuals",
                ngettext_lazy("%(n)s individual", "%(n)s individuals", "count"),
            ),
        ),
        _("rank %(r)s in the province"),
        "awards.governor.rank_in_province",
    ),
    Tile(
        "international_standards",
        _("International standards led or joined"),
        "standards.international",
    ),
)


@dataclass(frozen=True)
class Headline:
    key: str
    title: Promise
    value: str | None = None
    unit: str = ""
    detail: str = ""
    link: str = ""
    synthetic: bool = False


def _shown(figure: Figure) -> str:
    value = figure.value
    if figure.unit == "%" and isinstance(value, Decimal):
        return f"{value:.2f}%"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _figure(region: Region, year: int, code: str) -> Figure | None:
    indicator = figures.get(code)
    return indicator.compute(region, year) if indicator is not None else None


def _headline(tile: Tile, region: Region, year: int) -> Headline:
    main = _figure(region, year, tile.code)
    if main is None or main.value is None or not main.records:
        return Headline(key=tile.key, title=tile.title)
    synthetic = main.synthetic
    parts: list[str] = []
    for part in tile.details:
        figure = _figure(region, year, part.code)
        if figure is None or figure.value is None:
            parts.append(str(part.text % {"count": 0, "n": "–"}))
            continue
        count = figure.value if isinstance(figure.value, int) else 0
        parts.append(str(part.text % {"count": count, "n": _shown(figure)}))
        synthetic = synthetic or figure.synthetic
    detail = " · ".join(parts)
    if tile.suffix is not None:
        suffix = _figure(region, year, tile.suffix_code)
        if suffix is not None and suffix.value is not None:
            detail = f"{detail} · " + str(tile.suffix) % {"r": suffix.value}
            synthetic = synthetic or suffix.synthetic
    unit = "" if main.unit == "%" or main.unit in ("个", "批次") else main.unit
    return Headline(
        key=tile.key,
        title=tile.title,
        value=_shown(main),
        unit=unit,
        detail=detail,
        link=main.url,
        synthetic=synthetic,
    )


def front_page_year(city: Region) -> int:
    return figures.latest_year(city, [tile.code for tile in TILES])


def headlines(city: Region | None, year: int) -> list[Headline]:
    if city is None:
        return [Headline(key=tile.key, title=tile.title) for tile in TILES]
    return [_headline(tile, city, year) for tile in TILES]
