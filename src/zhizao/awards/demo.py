"""Demo data: the award programmes, the historic results the article names (real data), and
clearly marked synthetic results so that tallies and rankings have something to compare with.

Real (from the article): China Quality Award 2nd edition 株洲南车时代电气股份有限公司
(organization), 3rd edition nomination award 中车株洲电力机车有限公司; Governor's award 1st,
4th (刘可安, individual),
5th, 6th and 7th editions' Zhuzhou winners; the 7th edition's province-wide size (7 organizations
+ 1 individual, 9 nomination awards, announced 16 September 2022).

Synthetic (``is_synthetic``): other cities' Governor's award results (so that the computed
ranking puts Zhuzhou second, as the article says), the 7th edition's non-Zhuzhou winners, and the
18 Mayor's awards the article counts but does not name. Edition years before the 6th (2020) are
approximate: the article gives none.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.actors import system_actor
from zhizao.core.models import Organization, Person, Region

DATASET = "awards"
VERSION = 1

ARTICLE = "株洲日报《株企5次问鼎省长质量奖》(2022-09)"
SYNTHETIC = "synthetic demo record (合成演示数据)"

CQA_YEARS = {1: 2013, 2: 2016, 3: 2018, 4: 2021}
GOVERNOR_YEARS = {1: 2011, 2: 2012, 3: 2013, 4: 2014, 5: 2017, 6: 2020, 7: 2022}
MAYOR_YEARS = {1: 2012, 2: 2014, 3: 2016, 4: 2018, 5: 2020, 6: 2021}

TIMES_ELECTRIC_FORMER = "株洲南车时代电气股份有限公司"
TIMES_ELECTRIC = "株洲中车时代电气股份有限公司"

# (edition, category, name as awarded, organization in core, holder title)
GOVERNOR_ZHUZHOU = (
    (1, AwardCategory.ORGANIZATION, TIMES_ELECTRIC_FORMER, TIMES_ELECTRIC, ""),
    (4, AwardCategory.INDIVIDUAL, "刘可安", TIMES_ELECTRIC, "株洲南车时代电气股份有限公司总工程师"),
    (5, AwardCategory.ORGANIZATION, "中车株洲电力机车有限公司", "中车株洲电力机车有限公司", ""),
    (
        5,
        AwardCategory.ORGANIZATION,
        "株洲时代新材料科技股份有限公司",
        "株洲时代新材料科技股份有限公司",
        "",
    ),
    (
        6,
        AwardCategory.ORGANIZATION,
        "中车时代电动汽车股份有限公司",
        "中车时代电动汽车股份有限公司",
        "",
    ),
    (7, AwardCategory.ORGANIZATION, "中车株洲电机有限公司", "中车株洲电机有限公司", ""),
    (7, AwardCategory.ORGANIZATION, "株洲硬质合金集团有限公司", "株洲硬质合金集团有限公司", ""),
)

# Synthetic other-city Governor's awards: city code -> {edition: (organizations, individuals)}
GOVERNOR_OTHER_CITIES = {
    "430100": {1: (2, 0), 2: (2, 0), 3: (2, 0), 4: (1, 0), 5: (1, 0), 6: (2, 0), 7: (3, 1)},
    "430300": {2: (1, 0), 5: (1, 0), 7: (1, 0)},
    "430400": {3: (1, 0), 6: (1, 0)},
    "430700": {4: (1, 0), 7: (1, 0)},
    "430600": {1: (1, 0)},
}
# Synthetic 7th-edition nomination awards (the article says 9, none named).
GOVERNOR_7TH_NOMINATIONS = {"430100": 3, "430300": 2, "430400": 2, "430600": 1, "431000": 1}


def _programmes() -> tuple[AwardProgramme, AwardProgramme, AwardProgramme]:
    hunan = Region.objects.get(code="430000")
    zhuzhou = Region.objects.get(code="430200")
    cqa, _ = AwardProgramme.objects.get_or_create(
        code="china-quality-award",
        defaults={
            "name": "中国质量奖",
            "name_en": "China Quality Award",
            "level": AwardLevel.NATIONAL,
            "validity_years": 4,
            "rank": 3,
        },
    )
    governor, _ = AwardProgramme.objects.get_or_create(
        code="hunan-governor-quality-award",
        defaults={
            "name": "湖南省省长质量奖",
            "name_en": "Hunan Governor's Quality Award",
            "level": AwardLevel.PROVINCIAL,
            "region": hunan,
            "validity_years": 3,
            "rank": 2,
        },
    )
    mayor, _ = AwardProgramme.objects.get_or_create(
        code="zhuzhou-mayor-quality-award",
        defaults={
            "name": "株洲市市长质量奖",
            "name_en": "Zhuzhou Mayor's Quality Award",
            "level": AwardLevel.CITY,
            "region": zhuzhou,
            "validity_years": 3,
            "rank": 1,
        },
    )
    return cqa, governor, mayor


def _edition(programme: AwardProgramme, number: int, year: int, **extra: object) -> AwardEdition:
    edition, _ = AwardEdition.objects.get_or_create(
        programme=programme,
        number=number,
        defaults={"year": year, "is_historic": True, "source": ARTICLE, **extra},
    )
    return edition


def load() -> dict[str, int]:
    system = system_actor()
    cqa, governor, mayor = _programmes()
    zhuzhou = Region.objects.get(code="430200")
    orgs = {org.name: org for org in Organization.objects.filter(is_synthetic=False)}
    results = 0

    cqa_editions = {
        n: _edition(cqa, n, year, award_quota=10, nomination_quota=90)
        for n, year in CQA_YEARS.items()
    }
    services.record_historic_result(
        system,
        cqa_editions[2],
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded=TIMES_ELECTRIC_FORMER,
        organization=orgs.get(TIMES_ELECTRIC),
        city=zhuzhou,
        source=ARTICLE,
    )
    services.record_historic_result(
        system,
        cqa_editions[3],
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.NOMINATION,
        name_as_awarded="中车株洲电力机车有限公司",
        organization=orgs.get("中车株洲电力机车有限公司"),
        city=zhuzhou,
        source=ARTICLE,
    )
    results += 2

    gov_editions = {
        n: _edition(
            governor,
            n,
            year,
            award_quota=8,
            nomination_quota=9 if n == 7 else 0,
            announced_on=dt.date(2022, 9, 16)
            if n == 7
            else (dt.date(2020, 11, 16) if n == 6 else None),
            incident_free_years=3,
        )
        for n, year in GOVERNOR_YEARS.items()
    }
    for number, category, name, org_name, title in GOVERNOR_ZHUZHOU:
        organization = orgs.get(org_name)
        person = None
        if category == AwardCategory.INDIVIDUAL:
            person, _ = Person.objects.get_or_create(
                name=name, organization=organization, defaults={"title": title}
            )
        services.record_historic_result(
            system,
            gov_editions[number],
            category=category,
            outcome=Outcome.AWARD,
            name_as_awarded=name,
            organization=organization,
            person=person,
            holder_title=title,
            city=zhuzhou,
            source=ARTICLE,
        )
        results += 1

    cities = {
        region.code: region
        for region in Region.objects.filter(code__in=[*list(GOVERNOR_OTHER_CITIES), "431000"])
    }
    serial = 0
    for code, per_edition in GOVERNOR_OTHER_CITIES.items():
        city = cities[code]
        for number, (organizations, individuals) in per_edition.items():
            for category, count in (
                (AwardCategory.ORGANIZATION, organizations),
                (AwardCategory.INDIVIDUAL, individuals),
            ):
                for _i in range(count):
                    serial += 1
                    services.record_historic_result(
                        system,
                        gov_editions[number],
                        category=category,
                        outcome=Outcome.AWARD,
                        name_as_awarded=(
                            f"{city.name}示例获奖组织{serial:02d}（合成）"
                            if category == AwardCategory.ORGANIZATION
                            else f"示例获奖个人{serial:02d}（合成）"
                        ),
                        city=city,
                        is_synthetic=True,
                        source=SYNTHETIC,
                    )
                    results += 1
    for code, count in GOVERNOR_7TH_NOMINATIONS.items():
        city = cities[code]
        for _i in range(count):
            serial += 1
            services.record_historic_result(
                system,
                gov_editions[7],
                category=AwardCategory.ORGANIZATION,
                outcome=Outcome.NOMINATION,
                name_as_awarded=f"{city.name}示例提名组织{serial:02d}（合成）",
                city=city,
                is_synthetic=True,
                source=SYNTHETIC,
            )
            results += 1

    mayor_editions = {n: _edition(mayor, n, year, award_quota=3) for n, year in MAYOR_YEARS.items()}
    for number, edition in mayor_editions.items():
        for index in range(3):
            services.record_historic_result(
                system,
                edition,
                category=AwardCategory.ORGANIZATION,
                outcome=Outcome.AWARD,
                name_as_awarded=f"株洲示例市长质量奖企业{(number - 1) * 3 + index + 1:02d}（合成）",
                city=zhuzhou,
                is_synthetic=True,
                source=SYNTHETIC,
            )
            results += 1

    # An open edition for the demo's live award cycle (synthetic).
    now = timezone.now()
    AwardEdition.objects.get_or_create(
        programme=mayor,
        number=7,
        defaults={
            "year": timezone.localdate().year,
            "opens_at": now - dt.timedelta(days=30),
            "submission_deadline": now + dt.timedelta(days=60),
            "award_quota": 3,
            "min_years_in_operation": 3,
            "incident_free_years": 3,
            "objection_days": 7,
            "blind_material_review": True,
            "source": SYNTHETIC,
        },
    )
    return {"programmes": 3, "editions": AwardEdition.objects.count(), "results": results}
