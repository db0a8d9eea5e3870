"""What the dashboard and the open data read: published snapshots only (docs/opendata.md).

The app changes nothing, so it has no state-changing services; these are its reads, shared by
the dashboard, the API and the catalogue. Each reads the latest publication of every region and
year (``reports.Publication``) and the figures of those snapshots in a fixed number of queries,
whatever the number of years, regions or indicators. A recomputation that is not published
changes nothing here; live figures are never computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.reports.models import Publication, SnapshotFigure


@dataclass(frozen=True)
class PublishedValue:
    """One published figure of one region and year, as the snapshot stored it."""

    code: str
    region: Region
    year: int
    value: Decimal | int | None
    unit: str
    records: int
    synthetic: bool
    reason_zh: str
    reason_en: str
    computed_at: datetime
    published_at: datetime
    snapshot_id: int

    @property
    def number(self) -> float | int | None:
        return float(self.value) if isinstance(self.value, Decimal) else self.value


@dataclass
class Series:
    """A published indicator and its values by region and year."""

    indicator: figures.Indicator
    values: list[PublishedValue] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code


def public_codes() -> set[str]:
    """The codes of the registry's published indicators (staff-only ones are never shown)."""
    return {indicator.code for indicator in figures.indicators(published_only=True)}


def current_publications(region: Region | None = None) -> list[Publication]:
    """The latest publication of each region and year (of ``region`` only, if given), by
    region and year. One query."""
    found = Publication.objects.select_related("region").order_by(
        "region__path", "year", "-published_at", "-pk"
    )
    if region is not None:
        found = found.filter(region=region)
    latest: dict[tuple[int, int], Publication] = {}
    for publication in found:
        latest.setdefault((publication.region_id, publication.year), publication)
    return list(latest.values())


def published_values(
    publications: Iterable[Publication], codes: Iterable[str] | None = None
) -> Iterator[PublishedValue]:
    """The published figures of these publications (of ``codes`` only, if given; published
    indicators only), in publication then code order. One query."""
    by_snapshot = {publication.snapshot_id: publication for publication in publications}
    wanted = public_codes() if codes is None else set(codes) & public_codes()
    if not by_snapshot or not wanted:
        return
    rows = SnapshotFigure.objects.filter(snapshot_id__in=by_snapshot, code__in=wanted).order_by(
        "snapshot_id", "code"
    )
    for row in rows:
        publication = by_snapshot[row.snapshot_id]
        yield PublishedValue(
            code=row.code,
            region=publication.region,
            year=publication.year,
            value=row.typed_value,
            unit=row.unit,
            records=row.records,
            synthetic=row.synthetic,
            reason_zh=row.reason_zh,
            reason_en=row.reason_en,
            computed_at=row.computed_at,
            published_at=publication.published_at,
            snapshot_id=row.snapshot_id,
        )


def published_series(
    *, prefix: str = "", region: Region | None = None, year: int | None = None
) -> list[Series]:
    """Every published indicator whose code starts with ``prefix``, with its published values
    by region and year (of ``region`` and ``year`` only, if given). Indicators that have no
    published value yet are listed with none."""
    publications = [
        publication
        for publication in current_publications(region)
        if year is None or publication.year == year
    ]
    series = {
        indicator.code: Series(indicator)
        for indicator in figures.indicators(prefix, published_only=True)
    }
    for value in published_values(publications, series):
        series[value.code].values.append(value)
    for one in series.values():
        one.values.sort(key=lambda value: (value.region.path, value.year))
    return list(series.values())


def published_years(region: Region) -> list[int]:
    return sorted({publication.year for publication in current_publications(region)})


def published_region_years() -> dict[int, tuple[Region, list[int]]]:
    """Per region (by primary key) the years it has published: what the datasets offer."""
    regions: dict[int, tuple[Region, list[int]]] = {}
    for publication in current_publications():
        regions.setdefault(publication.region_id, (publication.region, []))[1].append(
            publication.year
        )
    return regions


def is_published(region: Region, year: int) -> bool:
    return Publication.objects.filter(region=region, year=year).exists()


def last_published_at() -> datetime | None:
    latest = Publication.objects.order_by("-published_at").first()
    return latest.published_at if latest is not None else None
