"""The public front page's headline tiles. Each domain app registers a provider that computes
its figures from records; a tile whose module has no records yet reads "no data yet"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Region


@dataclass(frozen=True)
class Headline:
    key: str
    title: str | Promise
    value: str | None = None
    unit: str | Promise = ""
    detail: str | Promise = ""
    link: str = ""
    synthetic: bool = False


# The tiles the front page always shows, in order, with their titles.
TILES: tuple[tuple[str, Promise], ...] = (
    ("rapidtest_pass_rate", _("Rapid-test pass rate of edible agricultural products")),
    ("good_air_days", _("Days of good air quality")),
    ("composite_index", _("Air quality composite index")),
    ("governor_award_tally", _("Hunan Governor's Quality Award winners")),
    ("international_standards", _("International standards led or joined")),
)

Provider = Callable[[Region], list[Headline]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register a provider (usable as a decorator) from an app's ``AppConfig.ready``."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def collect(city: Region | None) -> list[Headline]:
    found: dict[str, Headline] = {}
    if city is not None:
        for provider in _providers:
            for headline in provider(city):
                found[headline.key] = headline
    return [found.get(key, Headline(key=key, title=title)) for key, title in TILES]
