"""Demo data of plans and department figures, from the source article (section 25: the plans;
section 65 and 69: the departments' figures).

From the article: the five plans and policy documents and their issuers' kind; the education
bureau's 15,000 new school places and over-size classes cleared (2021), the water company's
100% timely water-main repairs (2021). Generated, seeded and marked synthetic: every target
(baseline and target values), every task and progress report, the departments' 2020 values,
the lift retrofits and the health-circle coverage (the article names the rules and the circle,
not a number). Tap-water, treated-water, network-water and effluent pass rates are not
department figures: the environment app computes them from samples (one source per figure).
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhizao.core import services as core_services
from zhizao.core.actors import system_actor
from zhizao.core.choices import IndustryChain, OrganizationKind, Role
from zhizao.core.demo import DEMO_PASSWORD, synthetic_credit_code
from zhizao.core.models import Organization, Region, User
from zhizao.plans import services
from zhizao.plans.choices import PeriodType, PlanKind, PlanLevel, TaskStatus
from zhizao.plans.models import DataElement, DataSet

DATASET = "plans"
VERSION = 1
SEED = 18

# (name, English name, kind, named by the article, demo login)
DEPARTMENTS = (
    ("株洲市教育局", "Zhuzhou Education Bureau", OrganizationKind.GOVERNMENT, True, "edu_clerk"),
    (
        "株洲市住房和城乡建设局",
        "Zhuzhou Housing and Urban-Rural Development Bureau",
        OrganizationKind.GOVERNMENT,
        True,
        "housing_clerk",
    ),
    (
        "株洲市卫生健康委员会",
        "Zhuzhou Health Commission",
        OrganizationKind.GOVERNMENT,
        True,
        "health_clerk",
    ),
    (
        "株洲市供水公司（演示）",
        "Zhuzhou water company (demo)",
        OrganizationKind.PUBLIC_INSTITUTION,
        False,
        "water_clerk",
    ),
    (
        "株洲市工业和信息化局",
        "Zhuzhou Industry and IT Bureau",
        OrganizationKind.GOVERNMENT,
        False,
        "",
    ),
)

PLANS = (
    (
        "株洲市“十四五”质量发展规划",
        "Zhuzhou 14th Five-Year Quality Development Plan",
        PlanKind.PLAN,
        2021,
        2025,
    ),
    (
        "“十四五”先进制造业发展规划",
        "14th Five-Year Advanced Manufacturing Plan",
        PlanKind.PLAN,
        2021,
        2025,
    ),
    (
        "关于打造“三个高地”促进株洲高质量发展的实施方案",
        "Implementation plan: the “three highlands” for Zhuzhou's high-quality development",
        PlanKind.IMPLEMENTATION,
        2021,
        2025,
    ),
    (
        "轨道交通装备、先进硬质材料、陶瓷产业质量提升三年(2021-2023年)行动方案",
        "Three-year quality improvement action plan (2021–2023) for rail transit equipment, "
        "advanced hard materials and ceramics",
        PlanKind.ACTION_PLAN,
        2021,
        2023,
    ),
    (
        "推动我市高质量发展的30条措施",
        "30 measures for the city's high-quality development",
        PlanKind.MEASURES,
        2021,
        2023,
    ),
)

# (data set, English, department, [(figure, min, max, change threshold %)], 2020, 2021 values)
DATA_SETS: tuple[tuple[Any, ...], ...] = (
    (
        "教育事业年报",
        "Education annual return",
        "株洲市教育局",
        [
            ("dept.education.new_school_places", 0, None, 50),
            ("dept.education.oversize_classes", 0, None, None),
        ],
        {"dept.education.new_school_places": 8200, "dept.education.oversize_classes": 96},
        {"dept.education.new_school_places": 15000, "dept.education.oversize_classes": 0},
        {
            "dept.education.new_school_places": (
                "新增学位1.5万余个（原文）；较2020年大幅增加："
                "城区学位扩容和乡镇优质学校“双线建设”工程"
            ),
            "dept.education.oversize_classes": "",
        },
    ),
    (
        "既有住宅加装电梯年报",
        "Lift retrofit annual return",
        "株洲市住房和城乡建设局",
        [("dept.housing.lift_retrofits", 0, None, None)],
        {"dept.housing.lift_retrofits": 96},
        {"dept.housing.lift_retrofits": 212},
        {},
    ),
    (
        "健康服务圈年报",
        "Health-service circle annual return",
        "株洲市卫生健康委员会",
        [("dept.health.health_circle_coverage", 0, 100, None)],
        {"dept.health.health_circle_coverage": 88.5},
        {"dept.health.health_circle_coverage": 95.2},
        {},
    ),
    (
        "供水服务年报",
        "Water service annual return",
        "株洲市供水公司（演示）",
        [("dept.water.repair_timeliness", 0, 100, None)],
        {"dept.water.repair_timeliness": 99.6},
        {"dept.water.repair_timeliness": 100},
        {},
    ),
)
FROM_ARTICLE_2021 = {
    "dept.education.new_school_places",
    "dept.education.oversize_classes",
    "dept.water.repair_timeliness",
}

EVIDENCE = b"%PDF-1.4\n% synthetic demo evidence\n%%EOF\n"


def _department(city: Region, name: str, name_en: str, kind: str, named: bool) -> Organization:
    existing = Organization.objects.filter(name=name).first()
    if existing is not None:
        return existing
    # As the core demo's organizations: the loader runs as the system actor (load_all).
    organization = Organization(
        name=name,
        name_en=name_en,
        credit_code=synthetic_credit_code(name, "430200"),
        kind=kind,
        region=city,
        is_synthetic=not named,
    )
    organization.full_clean()
    organization.save()
    return organization


def _load_departments(city: Region) -> dict[str, Organization]:
    departments = {}
    for name, name_en, kind, named, login in DEPARTMENTS:
        departments[name] = _department(city, name, name_en, kind, named)
        if login and not User.objects.filter(username=login).exists():
            core_services.create_user(
                username=login,
                password=DEMO_PASSWORD,
                role=Role.DEPARTMENT,
                organization=departments[name],
            )
    return departments


def _load_submissions(departments: dict[str, Organization]) -> int:
    system = system_actor()
    count = 0
    for name, name_en, department, elements, values_2020, values_2021, notes in DATA_SETS:
        data_set = DataSet(
            name=name,
            name_en=name_en,
            department=departments[department],
            period_type=PeriodType.YEARLY,
            due_days=60,
            first_period="2020",
        )
        data_set.full_clean()
        data_set.save()
        for order, (code, low, high, threshold) in enumerate(elements):
            element = DataElement(
                data_set=data_set,
                figure_code=code,
                order=order,
                min_value=low,
                max_value=high,
                change_threshold=threshold,
            )
            element.full_clean()
            element.save()
        by_code = {element.figure_code: element for element in data_set.elements.all()}
        for period, values in (("2020", values_2020), ("2021", values_2021)):
            synthetic = period == "2020" or not set(values) <= FROM_ARTICLE_2021
            submission = services.open_submission(system, data_set, period, is_synthetic=synthetic)
            services.enter_values(
                system,
                submission,
                {
                    by_code[code].pk: (
                        Decimal(str(value)),
                        notes.get(code, "") if period == "2021" else "",
                    )
                    for code, value in values.items()
                },
            )
            services.add_evidence(
                system,
                submission,
                SimpleUploadedFile(f"{data_set.name}-{period}（合成演示）.pdf", EVIDENCE),
            )
            services.submit_submission(system, submission)
            services.approve_submission(system, submission)
            count += 1
    return count


def _load_plans(city: Region, departments: dict[str, Organization]) -> tuple[int, int]:
    system = system_actor()
    rng = random.Random(SEED)
    market = Organization.objects.filter(name="株洲市市场监督管理局").first()
    industry = departments["株洲市工业和信息化局"]
    leads = [department for department in (market, industry) if department is not None]
    parks = list(Region.objects.filter(parent=city, code=""))
    plans = {}
    for title, title_en, kind, start, end in PLANS:
        plans[title] = services.create_plan(
            system,
            {
                "title": title,
                "title_en": title_en,
                "kind": kind,
                "level": PlanLevel.CITY,
                "issuing_body": "株洲市人民政府",
                "city": city,
                "start_year": start,
                "end_year": end,
            },
        )
    quality = plans[PLANS[0][0]]
    highlands = plans[PLANS[2][0]]
    targets = 0
    for plan, code, description, base, target, target_year in (
        (quality, "rapidtest.pass_rate", "快检合格率稳中有升（合成目标）", 98.5, 99.0, 2025),
        (
            quality,
            "dept.water.repair_timeliness",
            "管网抢修及时率保持100%（合成目标）",
            99.5,
            100,
            2025,
        ),
        (
            highlands,
            "dept.education.new_school_places",
            "每年新增学位（合成目标）",
            8000,
            15000,
            2021,
        ),
        (
            highlands,
            "dept.education.oversize_classes",
            "义务教育大班额清零（合成目标）",
            96,
            0,
            2021,
        ),
        (
            highlands,
            "dept.health.health_circle_coverage",
            "15分钟健康服务圈（合成目标）",
            85,
            100,
            2025,
        ),
        (highlands, "dept.housing.lift_retrofits", "既有住宅加装电梯（合成目标）", 100, 300, 2025),
    ):
        services.add_target(
            system,
            plan,
            {
                "indicator_code": code,
                "description": description,
                "baseline_value": Decimal(str(base)),
                "baseline_year": 2020,
                "target_value": Decimal(str(target)),
                "target_year": target_year,
                "is_synthetic": True,
            },
        )
        targets += 1
    three_chains = plans[PLANS[3][0]]
    tasks = 0
    chain_actions = (
        (IndustryChain.RAIL_TRANSIT, "轨道交通装备产业质量提升"),
        (IndustryChain.HARD_MATERIALS, "先进硬质材料产业质量提升"),
        (IndustryChain.CERAMICS, "陶瓷产业质量提升"),
    )
    steps = (
        "对标国际先进标准（合成任务）",
        "质量基础设施一站式服务进园区（合成任务）",
        "培育质量标杆企业（合成任务）",
    )
    for chain, title in chain_actions:
        action = services.add_action(
            system, three_chains, {"title": title, "chain": chain, "is_synthetic": True}
        )
        for year, step in zip((2021, 2022, 2023), steps, strict=True):
            status = (
                TaskStatus.DONE
                if year == 2021
                else rng.choice([TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED])
            )
            task = services.add_task(
                system,
                action,
                {
                    "title": f"{title}：{step}",
                    "lead_department": leads[tasks % len(leads)],
                    "deadline": date(year, 12, 31),
                    "chain": chain,
                    "park": parks[tasks % len(parks)] if parks else None,
                    "status": status,
                    "is_synthetic": True,
                },
                supporting=[industry] if leads[tasks % len(leads)] != industry else [],
            )
            if year == 2021:
                services.report_progress(
                    system, task, "2021", f"{step}已完成（合成进度报告）。", is_synthetic=True
                )
            tasks += 1
    return targets, tasks


def load() -> dict[str, int]:
    city = Region.objects.get(code="430200")
    departments = _load_departments(city)
    submissions = _load_submissions(departments)
    targets, tasks = _load_plans(city, departments)
    return {
        "departments": len(departments),
        "submissions": submissions,
        "plans": len(PLANS),
        "targets": targets,
        "tasks": tasks,
    }
