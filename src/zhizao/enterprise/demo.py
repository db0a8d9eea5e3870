"""Demo data of the enterprise records, from the article where it speaks:

- December 2021: experts of 中车株机, 中车时代电气, 富士康 and 用友 trained chief quality officers
  for 100+ SMEs of the rail-transit chain. The SMEs, their trainees, the day and the place are
  generated (seeded) and marked synthetic; each trainee is registered as its SME's officer.
- 6 September 2022, Quality Month: nearly 50 enterprise heads visited 中国铁建重工 and the
  Hunan FTZ IP public service centre in Changsha. The event is the article's; which enterprises
  went is generated (48 of them) and marked synthetic.
- Brand Day, Standardization Day and Quality Month activities of 2021 and 2022, synthetic.
- 株硬集团's yearly values 2015–2020, constructed (and marked synthetic) so that the computed
  changes are the article's: output +10.55%, orders +10.36%, shipments +5.08% in 2020, and a unit
  quality-loss cost more than 80% below that of five years before; 中车株洲电机's patents (1,272
  valid, 229 invention, 9 overseas) as the article gives them.
"""

from __future__ import annotations

import datetime as dt
import random

from zhizao.core.actors import system_actor
from zhizao.core.choices import IndustryChain, OrganizationKind, RegionLevel
from zhizao.core.demo import synthetic_credit_code
from zhizao.core.models import Organization, Region, User
from zhizao.enterprise import services
from zhizao.enterprise.choices import EventKind, ParticipantRole
from zhizao.enterprise.models import ChiefQualityOfficer, QualityEvent

DATASET = "enterprise"
VERSION = 1
SEED = 202112
TRAINED_SMES = 106
STUDY_VISITORS = 48
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _smes(rng: random.Random) -> list[Organization]:
    regions = list(Region.objects.filter(code__in=("430204", "430211", "430202", "430212")))
    regions += list(Region.objects.filter(level=RegionLevel.PARK, parent__code="430200"))
    smes = []
    for index in range(1, TRAINED_SMES + 1):
        name = f"轨道交通配套示例企业{index:03d}（合成）"
        found = Organization.objects.filter(name=name).first()
        if found is None:
            region = regions[index % len(regions)]
            found = Organization(
                name=name,
                credit_code=synthetic_credit_code(name, region.code or "430200"),
                kind=OrganizationKind.ENTERPRISE,
                region=region,
                industry_chain=IndustryChain.RAIL_TRANSIT,
                is_synthetic=True,
            )
            found.full_clean()
            found.save()
        smes.append(found)
    return smes


def _event(system: User, region: Region, **data: object) -> QualityEvent:
    return services.record_event(system, {"region": region, **data})


def load_training(system: User, rng: random.Random, city: Region) -> list[Organization]:
    smes = _smes(rng)
    event = _event(
        system,
        city,
        kind=EventKind.TRAINING,
        topic="轨道交通装备制造产业链首席质量官培训",
        organizer="株洲市市场监督管理局",
        held_on=dt.date(2021, 12, 16),
        place="株洲市（地点为合成数据）",
        trainers="中车株机、中车时代电气、富士康集团、用友集团等产业链龙头企业的资深技术专家和制造业实战质量管理专家",
        trains_officers=True,
        is_synthetic=True,
    )
    trainees = [(sme, _name(rng)) for sme in smes]
    rows = [
        services.AttendanceRow(
            organization=Organization.objects.get(name=name), role=ParticipantRole.TRAINER
        )
        for name in ("中车株洲电力机车有限公司", "株洲中车时代电气股份有限公司")
    ]
    rows += [
        services.AttendanceRow(organization=sme, person_name=person) for sme, person in trainees
    ]
    services.record_attendance(system, event, rows, is_synthetic=True)
    for index, (sme, person) in enumerate(trainees, start=1):
        services.register_officer(
            system,
            sme,
            person_name=person,
            appointed_on=dt.date(2021, 12, 31),
            certificate_number=f"ZZCQO-2021-{index:03d}",
            certificate_valid_until=dt.date(2024, 12, 31),
            is_synthetic=True,
        )
    return smes


def load_study_visit(
    system: User, rng: random.Random, city: Region, smes: list[Organization]
) -> None:
    event = _event(
        system,
        city,
        kind=EventKind.STUDY_VISIT,
        topic="“质量月”赴中国质量奖提名奖获奖企业观摩学习",
        organizer="株洲市市场监督管理局",
        held_on=dt.date(2022, 9, 6),
        place="长沙：中国铁建重工集团股份有限公司、中国（湖南）自由贸易试验区知识产权公共服务中心",
        feedback="企业家们不懂就问，求知若渴，对质量问题很是关切。",
    )
    named = [
        Organization.objects.get(name=name)
        for name in (
            "中车株洲电机有限公司",
            "株洲硬质合金集团有限公司",
            "株洲时代新材料科技股份有限公司",
        )
    ]
    visitors = named + rng.sample(smes, STUDY_VISITORS - len(named))
    services.record_attendance(
        system,
        event,
        [services.AttendanceRow(organization=org, person_name=_name(rng)) for org in visitors],
        is_synthetic=True,
    )


SYNTHETIC_EVENTS = (
    (EventKind.BRAND_DAY, dt.date(2021, 5, 10), "“中国品牌日”企业品牌建设座谈会", 12),
    (EventKind.QUALITY_MONTH, dt.date(2021, 9, 15), "“质量月”质量管理小组成果发布会", 20),
    (EventKind.STANDARDIZATION_DAY, dt.date(2021, 10, 14), "“世界标准日”标准化宣贯活动", 15),
    (EventKind.BRAND_DAY, dt.date(2022, 5, 10), "“中国品牌日”产品体验活动", 10),
    (EventKind.STANDARDIZATION_DAY, dt.date(2022, 10, 14), "“世界标准日”企业标准化培训", 18),
)


def load_other_events(
    system: User, rng: random.Random, city: Region, smes: list[Organization]
) -> None:
    for kind, held_on, topic, count in SYNTHETIC_EVENTS:
        event = _event(
            system,
            city,
            kind=kind,
            topic=f"{topic}（合成）",
            organizer="株洲市市场监督管理局",
            held_on=held_on,
            place="株洲市",
            is_synthetic=True,
        )
        services.record_attendance(
            system,
            event,
            [
                services.AttendanceRow(organization=org, person_name=_name(rng))
                for org in rng.sample(smes, count)
            ],
            is_synthetic=True,
        )


# 株硬集团: year → output (t), orders (t), shipments (t), output value, internal and external
# quality-loss cost (yuan). Constructed: 2020 vs 2019 gives the article's growth rates and the
# unit quality-loss cost of 2020 is 85% below 2015's.
ZHUYING = {
    2015: ("14000", "15000", "13600", "3000000000", "24000000", "12000000"),
    2016: ("14600", "15800", "14300", "3100000000", "21000000", "10500000"),
    2017: ("15500", "17000", "15200", "3300000000", "16500000", "8200000"),
    2018: ("17200", "18800", "16700", "3600000000", "11800000", "6000000"),
    2019: ("18000", "20000", "17500", "3900000000", "8200000", "4100000"),
    2020: ("19899", "22072", "18389", "4300000000", "5160000", "2580000"),
}


def load_performance(system: User) -> None:
    zhuying = Organization.objects.get(name="株洲硬质合金集团有限公司")
    for year, (output, orders, shipments, value, internal, external) in ZHUYING.items():
        services.report_performance(
            system,
            zhuying,
            year,
            {
                "output": output,
                "output_unit": "t",
                "orders": orders,
                "shipments": shipments,
                "output_value": value,
                "internal_loss_cost": internal,
                "external_loss_cost": external,
            },
            is_synthetic=True,
        )
    services.report_performance(
        system,
        Organization.objects.get(name="中车株洲电机有限公司"),
        2021,
        {"patents_valid": 1272, "patents_invention": 229, "patents_overseas": 9},
    )
    motor = Organization.objects.get(name="中车株洲电机有限公司")
    if not ChiefQualityOfficer.objects.filter(organization=motor).exists():
        services.register_officer(
            system,
            motor,
            person_name="周质量（合成）",
            appointed_on=dt.date(2020, 3, 1),
            certificate_number="ZZCQO-2020-001",
            certificate_valid_until=dt.date(2023, 2, 28),
            is_synthetic=True,
        )


def load() -> dict[str, int]:
    system = system_actor()
    rng = random.Random(SEED)
    city = Region.objects.get(code="430200")
    smes = load_training(system, rng, city)
    load_study_visit(system, rng, city, smes)
    load_other_events(system, rng, city, smes)
    load_performance(system)
    return {
        "events": QualityEvent.objects.count(),
        "officers": ChiefQualityOfficer.objects.count(),
        "performance_years": len(ZHUYING) + 1,
    }
