"""Cumulative tallies of award results, computed from the results (never typed): per city, per
programme and per level, the ranking of cities, and each organization's award ladder."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from zhizao.awards.choices import AwardCategory, Outcome
from zhizao.awards.models import AwardProgramme, AwardResult
from zhizao.core.figures import report_date
from zhizao.core.models import Organization, Region


def reported_by(year: int, edition: str = "edition") -> Q:
    """Results that the report on ``year`` counts: those of editions announced by its report
    date (``core.figures.report_date``), or, for an edition without an announcement date, of
    editions up to that year (``edition``: the path to the edition from the queried model)."""
    return Q(**{f"{edition}__announced_on__lte": report_date(year)}) | Q(
        **{f"{edition}__announced_on__isnull": True, f"{edition}__year__lte": year}
    )


@dataclass
class Tally:
    """Standing results of one city in one programme (or a level)."""

    awards: int = 0
    organizations: int = 0
    individuals: int = 0
    nominations: int = 0
    editions_won: list[int] = field(default_factory=list)
    synthetic: int = 0

    @property
    def editions_count(self) -> int:
        return len(self.editions_won)


def _standing() -> QuerySet[AwardResult]:
    return AwardResult.objects.standing().select_related("edition__programme", "city")


def _add(tally: Tally, result: AwardResult) -> None:
    if result.outcome == Outcome.AWARD:
        tally.awards += 1
        if result.category == AwardCategory.ORGANIZATION:
            tally.organizations += 1
        else:
            tally.individuals += 1
        if result.edition.number not in tally.editions_won:
            tally.editions_won.append(result.edition.number)
            tally.editions_won.sort()
    elif result.outcome == Outcome.NOMINATION:
        tally.nominations += 1
    if result.is_synthetic:
        tally.synthetic += 1


def city_tally(city: Region, programme: AwardProgramme) -> Tally:
    tally = Tally()
    for result in _standing().filter(city=city, edition__programme=programme):
        _add(tally, result)
    return tally


def city_tallies(city: Region) -> list[tuple[AwardProgramme, Tally]]:
    """The city's tally in every programme, national first."""
    by_programme: dict[int, Tally] = {}
    for result in _standing().filter(city=city):
        _add(by_programme.setdefault(result.edition.programme_id, Tally()), result)
    return [
        (programme, by_programme.get(programme.pk, Tally()))
        for programme in AwardProgramme.objects.all()
    ]


def level_tallies(city: Region) -> dict[str, Tally]:
    """The city's tally per award level (national, provincial, city)."""
    by_level: dict[str, Tally] = {}
    for result in _standing().filter(city=city):
        tally = by_level.setdefault(result.edition.programme.level, Tally())
        _add(tally, result)
    for tally in by_level.values():
        tally.editions_won = []  # edition numbers of different programmes do not add up
    return by_level


@dataclass(frozen=True)
class CityRank:
    rank: int
    city: Region
    tally: Tally


def city_rankings() -> dict[int, list[CityRank]]:
    """Every programme's ranking of cities (by programme pk), from one read of the results."""
    tallies: dict[int, dict[int, Tally]] = {}
    cities: dict[int, Region] = {}
    for result in _standing():
        cities[result.city_id] = result.city
        by_city = tallies.setdefault(result.edition.programme_id, {})
        _add(by_city.setdefault(result.city_id, Tally()), result)
    return {programme_id: _ranked(by_city, cities) for programme_id, by_city in tallies.items()}


def city_ranking(programme: AwardProgramme, year: int | None = None) -> list[CityRank]:
    """Cities ranked by cumulative awards in ``programme`` (ties share a rank), from whatever
    cities' results are recorded (``year``: only those the report on that year counts,
    :func:`reported_by`)."""
    tallies: dict[int, Tally] = {}
    cities: dict[int, Region] = {}
    results = _standing().filter(edition__programme=programme)
    if year is not None:
        results = results.filter(reported_by(year))
    for result in results:
        cities[result.city_id] = result.city
        _add(tallies.setdefault(result.city_id, Tally()), result)
    return _ranked(tallies, cities)


def _ranked(tallies: dict[int, Tally], cities: dict[int, Region]) -> list[CityRank]:
    ordered = sorted(
        tallies.items(),
        key=lambda pair: (-pair[1].awards, -pair[1].nominations, cities[pair[0]].code),
    )
    ranking: list[CityRank] = []
    for index, (city_id, tally) in enumerate(ordered):
        previous = ranking[-1] if ranking else None
        same = previous is not None and previous.tally.awards == tally.awards
        rank = previous.rank if same and previous else index + 1
        ranking.append(CityRank(rank=rank, city=cities[city_id], tally=tally))
    return ranking


def rank_in(ranking: list[CityRank], city: Region) -> int | None:
    for row in ranking:
        if row.city.pk == city.pk:
            return row.rank
    return None


def rank_of(city: Region, programme: AwardProgramme) -> int | None:
    return rank_in(city_ranking(programme), city)


@dataclass(frozen=True)
class Standing:
    """A city's rank in a programme and whether it rests on synthetic data: a rank compares the
    city with every other city, so it is synthetic when any result ranked is."""

    rank: int | None
    synthetic: bool


def standing_of(city: Region, programme: AwardProgramme) -> Standing:
    ranking = city_ranking(programme)
    return Standing(rank=rank_in(ranking, city), synthetic=any(r.tally.synthetic for r in ranking))


def award_ladder(organization: Organization) -> list[AwardResult]:
    """The organization's standing results, from the city award up to the national award."""
    results = list(_standing().filter(organization=organization))
    return sorted(results, key=lambda r: (r.edition.programme.rank, r.edition.year, r.outcome))
