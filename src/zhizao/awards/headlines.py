"""The front page's Governor's award tile, computed from the results."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from zhizao.awards import tallies
from zhizao.awards.models import AwardProgramme
from zhizao.core.headlines import TILES, Headline
from zhizao.core.models import Region

GOVERNOR_PROGRAMME = "hunan-governor-quality-award"


def governor_award_tally(city: Region) -> list[Headline]:
    programme = AwardProgramme.objects.filter(code=GOVERNOR_PROGRAMME).first()
    if programme is None:
        return []
    tally = tallies.city_tally(city, programme)
    if not tally.awards:
        return []
    standing = tallies.standing_of(city, programme)
    rank = standing.rank
    detail = _("%(e)d editions · %(o)d organizations · %(i)d individual(s)") % {
        "e": tally.editions_count,
        "o": tally.organizations,
        "i": tally.individuals,
    }
    if rank:
        detail = f"{detail} · " + _("rank %(r)d in the province") % {"r": rank}
    return [
        Headline(
            key="governor_award_tally",
            title=dict(TILES)["governor_award_tally"],
            value=str(tally.awards),
            detail=detail,
            link=reverse("awards:tallies"),
            synthetic=bool(tally.synthetic) or bool(rank and standing.synthetic),
        )
    ]
