"""Demo data of supervision sampling, 2017–2021: one plan per domain and year tested by a
synthetic lab, batches of synthetic producers in the city's districts, two test items each.

The article gives only the 2021 pass rates; the 2021 batch counts are chosen so that whole
batches give them exactly at two decimals: consumer goods 1,247 of 1,340 (93.06%),
agricultural products 987 of 1,000 (98.70%), food-safety evaluative sampling 500 of 500 and
export legal inspection 120 of 120 (100%). Industrial and food-safety supervisory sampling,
and every earlier year, are generated. Everything is seeded (the same every time) and marked
synthetic; failed batches open their cases, and producers failing twice a year their
warnings, through the services."""

from __future__ import annotations

import datetime as dt
import random

from zhizao.core.actors import system_actor
from zhizao.core.choices import OrganizationKind
from zhizao.core.demo import ZHUZHOU_DISTRICTS, synthetic_credit_code
from zhizao.core.models import Organization, Region
from zhizao.sampling import services
from zhizao.sampling.choices import DOMAIN_NAMES, AuthorityLevel, Domain

DATASET = "sampling"
VERSION = 1
SEED = 20211231
YEARS = range(2017, 2022)
EARLIER_BATCHES = 40  # per domain and year before 2021

# domain → (batches, passed) in 2021
ARTICLE_2021: dict[str, tuple[int, int]] = {
    Domain.CONSUMER_GOODS: (1340, 1247),
    Domain.AGRI: (1000, 987),
    Domain.FOOD_SAFETY_EVALUATIVE: (500, 500),
    Domain.EXPORT_LEGAL: (120, 120),
    Domain.INDUSTRIAL: (300, 287),  # generated
    Domain.FOOD_SAFETY_SUPERVISORY: (400, 391),  # generated
}
# domain → (categories, item name, unit, limit, standard code)
PRODUCTS: dict[str, tuple[tuple[str, ...], str, str, str, str]] = {
    Domain.CONSUMER_GOODS: (
        ("儿童玩具", "家用电器", "纺织服装", "日用陶瓷"),
        "铅溶出量",
        "mg/L",
        "≤0.5",
        "GB 4806.4-2016",
    ),
    Domain.INDUSTRIAL: (
        ("电线电缆", "建筑用钢筋", "水泥"),
        "导体电阻",
        "Ω/km",
        "≤18.1",
        "GB/T 3956-2008",
    ),
    Domain.AGRI: (("蔬菜", "水果", "畜禽肉"), "毒死蜱", "mg/kg", "≤0.02", "GB 2763-2021"),
    Domain.FOOD_SAFETY_SUPERVISORY: (
        ("粮食加工品", "食用油", "肉制品"),
        "铅(以Pb计)",
        "mg/kg",
        "≤0.2",
        "GB 2762-2022",
    ),
    Domain.FOOD_SAFETY_EVALUATIVE: (
        ("乳制品", "饮料", "糕点"),
        "菌落总数",
        "CFU/g",
        "≤10000",
        "GB 4789.2-2022",
    ),
    Domain.EXPORT_LEGAL: (
        ("陶瓷餐具", "硬质合金制品"),
        "镉溶出量",
        "mg/L",
        "≤0.05",
        "GB 4806.4-2016",
    ),
}
PRODUCERS = 48
NAMED_PRODUCER = "中车株洲电机有限公司"
REPORT_PREFIX = {
    Domain.CONSUMER_GOODS: "XF",
    Domain.INDUSTRIAL: "GY",
    Domain.AGRI: "NC",
    Domain.FOOD_SAFETY_SUPERVISORY: "SJ",
    Domain.FOOD_SAFETY_EVALUATIVE: "SP",
    Domain.EXPORT_LEGAL: "CK",
}


def load() -> dict[str, int]:
    system = system_actor()
    rng = random.Random(SEED)
    city = Region.objects.get(code="430200")
    districts = [Region.objects.get(code=code) for code, _name, _en in ZHUZHOU_DISTRICTS]
    lab_org = _organization(
        "株洲市产商品质量检验检测示例中心（合成）", city, OrganizationKind.INSPECTION_BODY
    )
    lab = services.create_lab(system, lab_org, cma_number="CMA-DEMO-0001")
    producers = [
        _organization(f"示例生产企业{index:02d}有限公司（合成）", districts[index % len(districts)])
        for index in range(1, PRODUCERS + 1)
    ]
    # One passed 2021 industrial batch of a real enterprise of the demo (if the core demo holds
    # it), so its profile shows a sampling result; the counts and pass rates stay the same.
    named = Organization.objects.filter(name=NAMED_PRODUCER).first()
    total = failed = warnings = 0
    for year in YEARS:
        for domain in Domain:
            categories, item, unit, limit, code = PRODUCTS[domain]
            if year == 2021:
                count, passed = ARTICLE_2021[domain]
            else:
                count = EARLIER_BATCHES
                passed = count - rng.randint(0, 3)
            plan = services.create_plan(
                system,
                categories={name: count // len(categories) + 1 for name in categories},
                year=year,
                domain=domain,
                title=f"{year}年株洲市{DOMAIN_NAMES[domain][0].removesuffix('合格率')}计划（合成）",
                authority="株洲市市场监督管理局",
                level=AuthorityLevel.CITY,
                region=city,
                lab=lab,
                is_synthetic=True,
            )
            fails = set(rng.sample(range(count), count - passed))
            named_batch = named is not None and (year, domain) == (2021, Domain.INDUSTRIAL)
            if named_batch and 0 in fails:  # the named batch passes; another one fails instead
                fails.remove(0)
                fails.add(min(set(range(1, count)) - fails))
            inputs = []
            for index in range(count):
                producer = producers[rng.randrange(len(producers))]
                bad = index in fails
                if index == 0 and named_batch and named is not None:
                    producer = named
                threshold = limit.lstrip("≤")
                value = _value(rng, threshold, bad)
                inputs.append(
                    services.BatchInput(
                        category=categories[index % len(categories)],
                        producer=producer,
                        product=f"{categories[index % len(categories)]}示例{index + 1:04d}",
                        sampled_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360)),
                        report_number=f"ZZ{year}-{REPORT_PREFIX[domain]}-{index + 1:05d}",
                        region=producer.region,
                        place="生产企业成品库（合成）",
                        standards=[code],
                        items=[
                            services.ItemInput(name=item, value=value, limit=limit, unit=unit),
                            services.ItemInput(name="标签标识", verdict="合格"),
                        ],
                        is_synthetic=True,
                    )
                )
            summary = services.record_batches(system, plan, inputs)
            total += len(summary.batches)
            failed += summary.failed
            warnings += len(summary.warnings)
    return {"batches": total, "failed": failed, "warnings": warnings}


def _value(rng: random.Random, threshold: str, bad: bool) -> str:
    limit = float(threshold)
    decimals = max(0, len(threshold.split(".")[1]) if "." in threshold else 0)
    factor = rng.uniform(1.2, 3.0) if bad else rng.uniform(0.05, 0.9)
    return f"{limit * factor:.{decimals + 1}f}"


def _organization(
    name: str, region: Region, kind: str = OrganizationKind.ENTERPRISE
) -> Organization:
    found = Organization.objects.filter(name=name).first()
    if found is not None:
        return found
    organization = Organization(
        name=name,
        credit_code=synthetic_credit_code(name, region.code or "430200"),
        kind=kind,
        region=region,
        is_synthetic=True,
    )
    organization.full_clean()
    organization.save()
    return organization
