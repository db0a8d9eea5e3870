"""Demo data of the standards registry: synthetic standard records whose counts equal the
article's ("led or joined 139 international, 321 national, 316 industry, 11 local and 33 group
standards").

The article gives only the five counts: every record here is generated (seeded, so the same on
every load), marked ``is_synthetic`` and titled "合成示例标准". Codes are well-formed codes of each
level in number ranges chosen so they read as examples; the drafters are the article's
organizations of the city, with led / participated drawn at random. The figures
``standards.<level>`` are then *computed* from these records, never typed in.
"""

from __future__ import annotations

import datetime as dt
import random

from zhizao.core.actors import system_actor
from zhizao.core.models import Organization
from zhizao.standards import services
from zhizao.standards.choices import DraftingRole, Revision, StandardLevel

DATASET = "standards"
VERSION = 1
SEED = 20211231
SYNTHETIC_TITLE = "合成示例标准"

# The article's counts (level → standards led or joined).
ARTICLE_COUNTS: dict[str, int] = {
    StandardLevel.INTERNATIONAL: 139,
    StandardLevel.NATIONAL: 321,
    StandardLevel.INDUSTRY: 316,
    StandardLevel.LOCAL: 11,
    StandardLevel.GROUP: 33,
}
# The city's organizations of the core demo that draft standards.
DRAFTERS = (
    "中车株洲电力机车有限公司",
    "株洲中车时代电气股份有限公司",
    "中车株洲电机有限公司",
    "株洲时代新材料科技股份有限公司",
    "中车时代电动汽车股份有限公司",
    "株洲硬质合金集团有限公司",
)
INDUSTRY_BODIES = ("TB/T", "JB/T", "YB/T", "QC/T", "JT/T", "SJ/T")
FIRST_YEAR, LAST_YEAR = 2005, 2021


def _code(level: str, index: int, year: int, rng: random.Random) -> str:
    if level == StandardLevel.INTERNATIONAL:
        body = "IEC" if index % 3 else "ISO"
        return f"{body} {99000 + index}:{year}"
    if level == StandardLevel.NATIONAL:
        return f"GB/T {90000 + index}-{year}"
    if level == StandardLevel.INDUSTRY:
        return f"{INDUSTRY_BODIES[index % len(INDUSTRY_BODIES)]} {9000 + index}-{year}"
    if level == StandardLevel.LOCAL:
        return f"DB43/T {9000 + index}-{year}"
    return f"T/ZZBX {900 + index:03d}-{year}"


def load() -> dict[str, int]:
    rng = random.Random(SEED)
    system = system_actor()
    organizations = list(Organization.objects.filter(name__in=DRAFTERS).order_by("name"))
    created = 0
    for level, count in ARTICLE_COUNTS.items():
        for index in range(1, count + 1):
            year = rng.randint(FIRST_YEAR, LAST_YEAR)
            published = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            standard = services.create_standard(
                system,
                {
                    "code": _code(level, index, year, rng),
                    "title": f"{SYNTHETIC_TITLE} {level} {index:03d}",
                    "title_en": f"Synthetic example standard {level} {index:03d}",
                    "published_on": published,
                    "implemented_on": published + dt.timedelta(days=rng.choice((90, 180))),
                    "revision": rng.choice((Revision.NEW, Revision.REVISION)),
                    "is_synthetic": True,
                },
            )
            for organization in rng.sample(organizations, rng.randint(1, 2)):
                role = DraftingRole.LED if rng.random() < 0.4 else DraftingRole.PARTICIPATED
                services.set_drafter(system, standard, organization, role)
            created += 1
    return {"standards": created}
