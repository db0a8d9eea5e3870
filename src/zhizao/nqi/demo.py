"""Demo data of the quality infrastructure: the article's counts, as records.

From the article (counts only): 3 national inspection centres, 1 national mirror committee, 7
national and 2 provincial standardization technical committees, the national technical-standards
innovation base (长株潭) and the rail-transit and cemented-carbide standards innovation centres,
5 national and 12 provincial standardization pilot projects completed, 天元区's standardization
reward grants of 5.27 million yuan, and the five pilots of the one-stop service (the national
high-tech zone, the economic development zone, the rail-transit, cemented-carbide and ceramics
chains). The article names none of the committees, centres, projects, recipients or bodies:
every such record is generated (seeded), ``is_synthetic`` and labelled 合成 in its name. The
figures are computed from these records. The one-stop catalogue is illustrative (synthetic);
its requests are synthetic too.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhizao.core import services as core_services
from zhizao.core.actors import system_actor
from zhizao.core.choices import IndustryChain, OrganizationKind, RegionLevel, Role
from zhizao.core.demo import DEMO_PASSWORD, synthetic_credit_code
from zhizao.core.models import Organization, Region, User
from zhizao.funds import services as funds_services
from zhizao.funds.choices import ProgrammeKind, ProgrammeLevel
from zhizao.nqi import services
from zhizao.nqi.catalogue import CATALOGUE
from zhizao.nqi.choices import (
    AwardGrade,
    BodyLevel,
    CommitteeKind,
    Designation,
    InnovationKind,
    PilotKind,
    Scheme,
    StandardAwardKind,
)
from zhizao.nqi.models import OneStopPilot

DATASET = "nqi"
VERSION = 1
SEED = 438
SYNTHETIC = "（合成）"
TIANYUAN_GRANTS_YUAN = Decimal("5270000.00")

BODIES = (
    # name, designation, title, district, turnaround days
    ("株洲轨道交通装备检验检测中心" + SYNTHETIC, Designation.NATIONAL_INSPECTION_CENTRE,
     "国家轨道交通装备产品质量检验检测中心（示例）", "430211", 10),
    ("株洲硬质合金检验检测中心" + SYNTHETIC, Designation.NATIONAL_INSPECTION_CENTRE,
     "国家硬质合金产品质量检验检测中心（示例）", "430202", 7),
    ("株洲陶瓷检验检测中心" + SYNTHETIC, Designation.NATIONAL_INSPECTION_CENTRE,
     "国家陶瓷产品质量检验检测中心（示例）", "430281", 8),
    ("株洲市计量测试中心" + SYNTHETIC, Designation.METROLOGY_TEST_CENTRE,
     "株洲市计量测试中心（在建，示例）", "430211", 5),
    ("株洲质量认证服务中心" + SYNTHETIC, Designation.CERTIFICATION_BODY,
     "认证服务机构（示例）", "430204", 20),
)  # fmt: skip
# Scope lines of the first three bodies: (category, parameter, standard code as printed).
SCOPES = {
    0: [
        ("轨道交通牵引电机", "绝缘电阻", "GB/T 25123.2-2018"),
        ("轨道车辆", "冲击和振动", "GB/T 21563-2018"),
        ("质量管理体系", "审核", "GB/T 19001-2016"),
    ],
    1: [
        ("硬质合金", "硬度", "GB/T 3849.1-2015"),
        ("硬质合金", "抗弯强度", "GB/T 3851-2015"),
        ("硬质合金", "密度", "GB/T 3850-2015"),
    ],
    2: [
        ("日用陶瓷", "铅、镉溶出量", "GB 4806.4-2016"),
        ("日用陶瓷", "吸水率", "GB/T 3299-2011"),
    ],
}
PILOT_ZONES = (
    ("国家高新区", "National high-tech zone", "株洲国家高新技术产业开发区", ""),
    ("经开区", "Economic development zone", "株洲经济开发区", ""),
    ("轨道交通产业链", "Rail-transit chain", "", IndustryChain.RAIL_TRANSIT),
    ("硬质合金产业链", "Cemented-carbide chain", "", IndustryChain.HARD_MATERIALS),
    ("陶瓷产业链", "Ceramics chain", "", IndustryChain.CERAMICS),
)
REQUEST_TEXTS = (
    "40 把扭力扳手线上审核前要校准",
    "硬质合金刀片出口欧盟需要哪些标准",
    "牵引电机绝缘电阻检测",
    "日用陶瓷铅镉溶出检测",
    "申请质量管理体系认证",
    "企业标准自我声明公开怎么办理",
    "来料检验的抽样方案",
    "产品售后失效分析",
)


def _organization(name: str, kind: str, region: Region, chain: str = "") -> Organization:
    found = Organization.objects.filter(name=name).first()
    if found is not None:
        return found
    organization = Organization(
        name=name,
        credit_code=synthetic_credit_code(name, region.code or "430200"),
        kind=kind,
        region=region,
        industry_chain=chain,
        is_synthetic=True,
    )
    organization.full_clean()
    organization.save()  # inside load_all's acting_as(system_actor())
    return organization


AWARDS = (
    (StandardAwardKind.PROVINCIAL_CONTRIBUTION, BodyLevel.PROVINCIAL, AwardGrade.FIRST),
    (StandardAwardKind.PROVINCIAL_CONTRIBUTION, BodyLevel.PROVINCIAL, AwardGrade.SECOND),
    (StandardAwardKind.CHINA_STANDARD_INNOVATION, BodyLevel.NATIONAL, AwardGrade.PROJECT),
)


def load() -> dict[str, int]:
    rng = random.Random(SEED)
    system = system_actor()
    city = Region.objects.get(code="430200")
    regions = {region.code: region for region in Region.objects.exclude(code="")}
    tianyuan = regions["430211"]
    bodies = []
    for index, (name, designation, title, district, days) in enumerate(BODIES):
        kind = {
            Designation.METROLOGY_TEST_CENTRE: OrganizationKind.METROLOGY_BODY,
            Designation.CERTIFICATION_BODY: OrganizationKind.CERTIFICATION_BODY,
        }.get(designation, OrganizationKind.INSPECTION_BODY)
        organization = _organization(name, kind, regions[district])
        body = services.register_quality_body(
            system,
            {
                "organization": organization,
                "designation": designation,
                "title": title,
                "capacity": f"{rng.randint(2, 9) * 1000} 批次/年",
                "turnaround_days": days,
                "is_synthetic": True,
            },
        )
        bodies.append(body)
        if index in SCOPES:
            valid_from = dt.date(2019 + index, 3, 1)
            expired = index == 2  # one expired accreditation, to show it ranked last
            services.add_accreditation(
                system,
                body,
                {
                    "scheme": Scheme.CNAS_LAB,
                    "number": f"CNAS L{9100 + index}",
                    "valid_from": valid_from if not expired else dt.date(2016, 3, 1),
                    "valid_until": dt.date(2031, 2, 28) if not expired else dt.date(2022, 2, 28),
                    "is_synthetic": True,
                },
                [
                    {"product_category": c, "parameter": p, "standard_code": s}
                    for c, p, s in SCOPES[index]
                ],
            )
    rail = Organization.objects.get(name="株洲中车时代电气股份有限公司")
    carbide = Organization.objects.get(name="株洲硬质合金集团有限公司")
    committees = [
        ("SAC/TC 278", "全国牵引电气设备与系统标准化技术委员会",
         CommitteeKind.TECHNICAL_COMMITTEE, rail),
    ]  # fmt: skip
    committees += [
        (f"SAC/TC {900 + i}", f"全国示例标准化技术委员会{i}{SYNTHETIC}",
         CommitteeKind.TECHNICAL_COMMITTEE, rail if i % 2 else carbide)
        for i in range(1, 5)
    ]  # fmt: skip
    committees += [
        (f"SAC/TC 278/SC {i}", f"示例分技术委员会{i}{SYNTHETIC}", CommitteeKind.SUBCOMMITTEE, rail)
        for i in (1, 2)
    ]  # fmt: skip
    for number, name, committee_kind, secretariat in committees:
        services.create_committee(
            system,
            {
                "number": number,
                "name": name,
                "kind": committee_kind,
                "level": BodyLevel.NATIONAL,
                "secretariat": secretariat,
                "is_synthetic": number != "SAC/TC 278",
            },
        )
    services.create_committee(
        system,
        {
            "number": "SAC/TC 999",
            "name": "示例国际标准化组织技术委员会国内镜像委员会" + SYNTHETIC,
            "kind": CommitteeKind.MIRROR_COMMITTEE,
            "level": BodyLevel.NATIONAL,
            "secretariat": rail,
            "mirror_of": "IEC/TC 9",
            "is_synthetic": True,
        },
    )
    for i in (1, 2):
        services.create_committee(
            system,
            {
                "number": f"HN/TC {80 + i}",
                "name": f"湖南省示例标准化技术委员会{i}{SYNTHETIC}",
                "kind": CommitteeKind.TECHNICAL_COMMITTEE,
                "level": BodyLevel.PROVINCIAL,
                "secretariat": carbide if i == 1 else rail,
                "is_synthetic": True,
            },
        )
    for name, base_kind, level, field in (
        ("国家技术标准创新基地（长株潭）", InnovationKind.STANDARDS_INNOVATION_BASE,
         BodyLevel.NATIONAL, "先进制造"),
        ("轨道交通标准创新中心", InnovationKind.STANDARDS_INNOVATION_CENTRE,
         BodyLevel.NATIONAL, "轨道交通"),
        ("硬质合金标准创新中心", InnovationKind.STANDARDS_INNOVATION_CENTRE,
         BodyLevel.NATIONAL, "硬质合金"),
    ):  # fmt: skip
        services.create_innovation_base(
            system,
            {"name": name, "kind": base_kind, "level": level, "field": field, "region": city},
        )
    districts = [regions[code] for code in ("430202", "430203", "430204", "430211", "430281")]
    pilots = 0
    for level, count in ((BodyLevel.NATIONAL, 5), (BodyLevel.PROVINCIAL, 12)):
        for i in range(1, count + 1):
            start = dt.date(rng.randint(2014, 2018), rng.randint(1, 12), 1)
            pilot = services.create_pilot(
                system,
                {
                    "name": f"{'国家级' if level == BodyLevel.NATIONAL else '省级'}"
                    f"标准化试点示范项目{i:02d}{SYNTHETIC}",
                    "level": level,
                    "region": rng.choice(districts),
                    "starts_on": start,
                    "ends_on": start + dt.timedelta(days=730),
                    "is_synthetic": True,
                },
            )
            services.accept_pilot(
                system,
                pilot,
                on=start + dt.timedelta(days=rng.randint(700, 900)),
                score=Decimal(rng.randint(800, 980)) / 10,
            )
            pilots += 1
    # 天元区's grants: 5.27 million yuan in exact decimals, split over synthetic recipients and
    # paid in 2020 and 2021, recorded in the fund ledger (one programme a year; the budgets are
    # synthetic) by the registry's service: the ledger is the one record of the money.
    recipients = [
        _organization(f"天元区示例企业{i:02d}{SYNTHETIC}", OrganizationKind.ENTERPRISE, tianyuan)
        for i in range(1, 11)
    ]
    shares = [Decimal(rng.randint(20, 80)) * 1000 for _ in recipients[:-1]]
    amounts = [*shares, TIANYUAN_GRANTS_YUAN - sum(shares)]
    paid = [dt.date(2020 + i % 2, 6, 1 + i) for i in range(len(recipients))]
    programmes = {
        year: _reward_programme(
            system,
            tianyuan,
            year,
            sum((a for a, on in zip(amounts, paid, strict=True) if on.year == year), Decimal(0)),
        )
        for year in sorted({on.year for on in paid})
    }
    grants = []
    for i, (recipient, amount, on) in enumerate(zip(recipients, amounts, paid, strict=True)):
        grant = services.record_reward_grant(
            system,
            {
                "programme": programmes[on.year],
                "recipient": recipient,
                "amount": amount,
                "paid_on": on,
                "reason": "主导制定标准奖励" + SYNTHETIC,
                "reference": f"TYBZ{on.year}-{i + 1:03d}",
                "is_synthetic": True,
            },
        )
        grants.append(grant)
    # Standard-setting awards (synthetic): three of the grants' recipients, one with its money.
    for i, (award, level, grade) in enumerate(AWARDS):
        services.record_standard_award(
            system,
            {
                "kind": award,
                "level": level,
                "year": 2020 + i % 2,
                "grade": grade,
                "title": f"主导制定标准项目{i + 1:02d}{SYNTHETIC}",
                "recipient": recipients[i],
                "grant": grants[i] if i == 0 else None,
                "is_synthetic": True,
            },
        )
    offerings = _catalogue(system, bodies)
    requests = _onestop(system, rng, regions, offerings)
    return {"bodies": len(bodies), "pilots": pilots, "grants": len(recipients), **requests}


def _reward_programme(system: User, tianyuan: Region, year: int, granted: Decimal) -> Any:
    """天元区's standardization reward programme of ``year`` in the fund ledger (its budget,
    synthetic: what it granted and 500,000 yuan more)."""
    return funds_services.create_programme(
        system,
        {
            "code": f"tianyuan-standardization-reward-{year}",
            "kind": ProgrammeKind.STANDARDIZATION_REWARD,
            "level": ProgrammeLevel.DISTRICT,
            "year": year,
            "name": f"{year}年天元区标准化奖励资金",
            "name_en": f"Tianyuan District standardization reward {year}",
            "region": tianyuan,
            "authority": "株洲市天元区人民政府",
            "rules": "主导或参与制修订国际、国家、行业、地方标准的单位给予奖励（预算为合成数据）。",
            "budget": str(granted + Decimal("500000.00")),
            "is_synthetic": True,
        },
    )


def _catalogue(system: User, bodies: list) -> list:  # type: ignore[type-arg]
    offerings = []
    for entry in CATALOGUE:
        providers = [
            {
                "provider": bodies[index].organization,
                "price_min": Decimal(low),
                "price_max": Decimal(high),
                "promised_days": days,
            }
            for index, low, high, days in entry.providers
        ]
        offerings.append(
            services.create_offering(
                system,
                {
                    "title": entry.title,
                    "title_en": entry.title_en,
                    "description": entry.description,
                    "description_en": entry.description_en,
                    "keywords": entry.keywords,
                    "element": entry.element,
                    "stage": entry.stage,
                    "is_synthetic": True,
                },
                providers,
            )
        )
    return offerings


def _onestop(system: User, rng: random.Random, regions: dict, offerings: list) -> dict[str, int]:  # type: ignore[type-arg]
    city = regions["430200"]
    parks = {region.name: region for region in Region.objects.filter(level=RegionLevel.PARK)}
    for order, (name, name_en, park, chain) in enumerate(PILOT_ZONES):
        OneStopPilot.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "kind": PilotKind.CHAIN if chain else PilotKind.ZONE,
                "region": parks.get(park) if park else None,
                "industry_chain": chain,
                "city": city,
                "order": order,
            },
        )
    # Synthetic enterprises of each pilot, each with a login, and provider logins.
    enterprises = []
    for name, _en, park, chain in PILOT_ZONES:
        region = parks[park] if park else regions["430211"]
        for i in (1, 2):
            enterprises.append(
                _organization(
                    f"{name}示例企业{i}{SYNTHETIC}", OrganizationKind.ENTERPRISE, region, chain
                )
            )
    users = {}
    for organization in enterprises:
        username = f"ent{organization.pk}"
        users[organization.pk] = User.objects.filter(username=username).first() or (
            core_services.create_user(
                username=username, password=DEMO_PASSWORD, role=Role.ENTERPRISE,
                organization=organization,
            )
        )  # fmt: skip
    providers: dict[int, User] = {}
    for offering in offerings:
        for row in offering.providers.all():
            org = row.provider
            if org.pk not in providers:
                username = "provider" if not providers else f"provider{len(providers) + 1}"
                providers[org.pk] = User.objects.filter(username=username).first() or (
                    core_services.create_user(
                        username=username, password=DEMO_PASSWORD,
                        role=Role.SERVICE_PROVIDER, organization=org,
                    )
                )  # fmt: skip
    # A year of synthetic requests (2021), most of them through to the rating.
    made = 0
    for _ in range(60):
        enterprise = rng.choice(enterprises)
        filed_at = timezone.make_aware(
            dt.datetime(2021, 1, 1, 9)
            + dt.timedelta(days=rng.randint(0, 330), hours=rng.randint(0, 8))
        )  # fmt: skip
        request = services.file_request(
            users[enterprise.pk], rng.choice(REQUEST_TEXTS), now=filed_at, is_synthetic=True
        )
        offering = rng.choice(offerings)
        offer = rng.choice(list(offering.providers.all()))
        provider_user = providers[offer.provider_id]
        step = filed_at + dt.timedelta(hours=rng.randint(2, 30))
        request = services.route_request(system, request, offering, offer.provider, now=step)
        made += 1
        if rng.random() < 0.1:
            continue  # still waiting for the provider
        step += dt.timedelta(hours=rng.randint(1, 24))
        request = services.accept_request(provider_user, request, now=step)
        request = services.quote_request(
            provider_user, request, offer.price_min + (offer.price_max - offer.price_min) / 2,
            now=step + dt.timedelta(hours=2),
        )  # fmt: skip
        if rng.random() < 0.1:
            continue  # at work
        taken = dt.timedelta(days=offer.promised_days * rng.uniform(0.4, 1.3))
        request = services.deliver_request(
            provider_user, request, f"报告编号 ZZ-2021-{request.pk:04d}", now=step + taken
        )
        request = services.close_request(provider_user, request, now=step + taken)
        services.rate_request(
            users[enterprise.pk], request, rng.choice((3, 4, 4, 5, 5, 5)), "（合成评价）",
            now=step + taken + dt.timedelta(days=1),
        )  # fmt: skip
    return {"requests": made, "enterprises": len(enterprises)}
