"""Demo data of the fund ledger, from the article where it speaks:

- 2022 省知识产权战略实施专项: 96 of the city's organizations applied, 30 were funded with
  5,880,000 yuan in total, second in the province. The article gives counts and the total, not
  the applicants: the applicants, their projects and the amounts are generated (seeded) and
  marked synthetic, the amounts summing to the article's total; so are the other cities' grants
  that the rank is computed among, and the province's budget.
- 天元区标准化奖励资金 (5,270,000 yuan paid, 累计) is not loaded here: the quality-infrastructure
  demo (``nqi.demo``, loaded first) records those grants in this ledger through
  ``nqi.services.record_reward_grant``, so each grant exists once.
- A quality-award bonus for the 7th Governor's Quality Award of 中车株洲电机 and 株硬集团 (the
  amount is synthetic): a grant that names its award result.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from zhizao.awards.models import AwardResult
from zhizao.core.actors import acting_as, system_actor
from zhizao.core.choices import OrganizationKind
from zhizao.core.demo import synthetic_credit_code
from zhizao.core.models import Organization, Region, User
from zhizao.funds import services
from zhizao.funds.choices import CENT, Decision, ProgrammeKind, ProgrammeLevel
from zhizao.funds.models import FundApplication, FundProgramme

DATASET = "funds"
VERSION = 1
SEED = 20221

IP_APPLICANTS, IP_FUNDED, IP_TOTAL = 96, 30, Decimal("5880000.00")
# Synthetic totals of the other cities (rank 2 for Zhuzhou's 5.88 million).
OTHER_CITIES = (
    ("430100", Decimal("9600000.00"), 4),
    ("430300", Decimal("4150000.00"), 3),
    ("430400", Decimal("3380000.00"), 3),
    ("430600", Decimal("2760000.00"), 2),
    ("430700", Decimal("2140000.00"), 2),
)
ZHUZHOU_DISTRICTS = ("430202", "430203", "430204", "430211", "430212", "430281")
REAL_APPLICANTS = (
    "中车株洲电机有限公司",
    "株洲硬质合金集团有限公司",
    "株洲中车时代电气股份有限公司",
    "株洲时代新材料科技股份有限公司",
)
IP_PROJECTS = ("高价值专利培育", "专利导航", "知识产权贯标", "商标品牌建设", "专利转化运用")


def _organization(name: str, region: Region, chain: str = "") -> Organization:
    found = Organization.objects.filter(name=name).first()
    if found is not None:
        return found
    organization = Organization(
        name=name,
        credit_code=synthetic_credit_code(name, region.code or "430200"),
        kind=OrganizationKind.ENTERPRISE,
        region=region,
        industry_chain=chain,
        is_synthetic=True,
    )
    organization.full_clean()
    organization.save()
    return organization


def split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` in ``parts`` amounts of whole thousands of yuan (seeded), summing exactly."""
    weights = [rng.uniform(0.5, 2.0) for _ in range(parts)]
    scale = sum(weights)
    amounts = [
        (total * Decimal(str(weight / scale)) / 1000).quantize(Decimal(1)) * 1000
        for weight in weights[:-1]
    ]
    amounts.append(total - sum(amounts))
    return [amount.quantize(CENT) for amount in amounts]


def _fund(
    system: User, application: FundApplication, amount: Decimal, on: dt.date, voucher: str
) -> None:
    services.review_fund_application(
        system,
        application,
        decision=Decision.APPROVE,
        score="85",
    )
    grant = services.grant_fund(system, application, amount, on, is_synthetic=True)
    services.record_payment(
        system,
        grant,
        amount,
        on + dt.timedelta(days=30),
        voucher,
        is_synthetic=True,
    )


def load_ip_fund(system: User, rng: random.Random) -> FundProgramme:
    province = Region.objects.get(code="430000")
    programme = services.create_programme(
        system,
        {
            "code": "hunan-ip-strategy-2022",
            "kind": ProgrammeKind.IP_STRATEGY,
            "level": ProgrammeLevel.PROVINCIAL,
            "year": 2022,
            "name": "2022年湖南省知识产权战略实施专项资金",
            "name_en": "Hunan IP-strategy special fund 2022",
            "region": province,
            "authority": "湖南省知识产权局",
            "rules": "按项目申报、专家评审、择优资助（预算为合成数据）。",
            "budget": "40000000.00",
            "is_synthetic": True,
        },
    )
    districts = list(Region.objects.filter(code__in=ZHUZHOU_DISTRICTS).order_by("code"))
    applicants = [Organization.objects.get(name=name) for name in REAL_APPLICANTS]
    for index in range(1, IP_APPLICANTS - len(applicants) + 1):
        region = districts[index % len(districts)]
        applicants.append(_organization(f"株洲示例申报单位{index:02d}（合成）", region))
    amounts = split(IP_TOTAL, IP_FUNDED, rng)
    for index, organization in enumerate(applicants):
        application = services.submit_fund_application(
            system,
            programme,
            organization,
            f"{IP_PROJECTS[index % len(IP_PROJECTS)]}项目",
            amounts[index] * 2 if index < IP_FUNDED else Decimal("300000.00"),
            is_synthetic=True,
        )
        if index < IP_FUNDED:
            _fund(
                system,
                application,
                amounts[index],
                dt.date(2022, 7, 15),
                f"HNIP2022-ZZ-{index + 1:03d}",
            )
        else:
            services.review_fund_application(
                system,
                application,
                decision=Decision.REJECT,
                score=str(rng.randint(50, 69)),
            )
    for code, total, funded in OTHER_CITIES:
        city = Region.objects.get(code=code)
        for index, amount in enumerate(split(total, funded, rng), start=1):
            organization = _organization(f"{city.name}示例申报单位{index:02d}（合成）", city)
            application = services.submit_fund_application(
                system,
                programme,
                organization,
                "高价值专利培育项目",
                amount,
                is_synthetic=True,
            )
            _fund(system, application, amount, dt.date(2022, 7, 15), f"HNIP2022-{code}-{index:03d}")
    return programme


def load_award_bonus(system: User) -> None:
    city = Region.objects.get(code="430200")
    programme = services.create_programme(
        system,
        {
            "code": "zhuzhou-quality-award-bonus-2022",
            "kind": ProgrammeKind.QUALITY_AWARD_BONUS,
            "level": ProgrammeLevel.CITY,
            "year": 2022,
            "name": "2022年株洲市政府质量奖励资金",
            "name_en": "Zhuzhou quality-award bonus 2022",
            "region": city,
            "authority": "株洲市市场监督管理局",
            "rules": "获省长质量奖的企业给予一次性奖励（金额为合成数据）。",
            "budget": "2000000.00",
            "is_synthetic": True,
        },
    )
    results = AwardResult.objects.standing().filter(
        edition__programme__code="hunan-governor-quality-award",
        edition__number=7,
        organization__name__in=REAL_APPLICANTS,
    )
    for result in results.select_related("organization__region"):
        grant = services.grant_award_bonus(
            system,
            programme,
            result,
            "500000.00",
            dt.date(2022, 10, 28),
            is_synthetic=True,
        )
        services.record_payment(
            system,
            grant,
            "500000.00",
            dt.date(2022, 11, 30),
            f"ZZQA2022-{grant.pk:04d}",
            is_synthetic=True,
        )


def load() -> dict[str, int]:
    system = system_actor()
    rng = random.Random(SEED)
    with acting_as(system):
        load_ip_fund(system, rng)
        load_award_bonus(system)
    return {
        "programmes": FundProgramme.objects.count(),
        "applications": FundApplication.objects.count(),
    }
