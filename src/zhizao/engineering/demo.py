"""Demo engineering records, 2017–2021: synthetic construction, water-conservancy and transport
projects with their acceptance and inspections, every one marked synthetic. In 2021 every
construction project passes its first acceptance and every water-conservancy and transport
inspection passes (the article's 100%); earlier years have a few re-acceptances and failed
inspections. The registry's Luban and Furong projects (loaded by the registry demo) get their
projects here, linked to those honours."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from zhizao.core.actors import system_actor
from zhizao.core.choices import OrganizationKind
from zhizao.core.demo import ZHUZHOU_DISTRICTS, synthetic_credit_code
from zhizao.core.models import Organization, Region
from zhizao.engineering import services
from zhizao.engineering.choices import PROJECT_HONOURS, ProjectKind
from zhizao.registry.models import Honour

DATASET = "engineering"
VERSION = 1
SEED = 2021
YEARS = range(2017, 2022)
PER_YEAR = {
    ProjectKind.CONSTRUCTION: 24,
    ProjectKind.WATER_CONSERVANCY: 8,
    ProjectKind.TRANSPORT: 8,
}
KIND_NAMES = {
    ProjectKind.CONSTRUCTION: "住宅楼",
    ProjectKind.WATER_CONSERVANCY: "水库除险加固工程",
    ProjectKind.TRANSPORT: "公路改扩建工程",
}


def _organization(name: str, region: Region) -> Organization:
    found = Organization.objects.filter(name=name).first()
    if found is not None:
        return found
    organization = Organization(
        name=name,
        credit_code=synthetic_credit_code(name, region.code or "430200"),
        kind=OrganizationKind.ENTERPRISE,
        region=region,
        is_synthetic=True,
    )
    organization.full_clean()
    organization.save()
    return organization


def load() -> dict[str, int]:
    system = system_actor()
    rng = random.Random(SEED)
    city = Region.objects.get(code="430200")
    districts = [Region.objects.get(code=code) for code, _name, _en in ZHUZHOU_DISTRICTS]
    builders = [_organization(f"示例建设工程{i}有限公司（合成）", city) for i in range(1, 7)]
    supervisor = _organization("示例工程监理有限公司（合成）", city)
    designer = _organization("示例建筑设计研究院（合成）", city)
    projects = acceptances = inspections = 0
    for year in YEARS:
        for kind, count in PER_YEAR.items():
            for index in range(count):
                region = districts[index % len(districts)]
                project = services.create_project(
                    system,
                    name=f"{region.name}{year}年{KIND_NAMES[kind]}{index + 1:02d}（合成）",
                    kind=kind,
                    region=region,
                    builder=builders[rng.randrange(len(builders))],
                    supervisor=supervisor,
                    designer=designer,
                    investment_10k_yuan=Decimal(rng.randrange(2000, 90000)),
                    started_on=dt.date(year - 2, 3, 1),
                    completed_on=dt.date(year, 1 + index % 11, 10),
                    is_synthetic=True,
                )
                projects += 1
                done = project.completed_on
                assert done is not None
                if kind == ProjectKind.CONSTRUCTION:
                    first_passes = year == 2021 or rng.random() > 0.06
                    services.record_acceptance(
                        system,
                        project,
                        accepted_on=done,
                        passed=first_passes,
                        reasons=""
                        if first_passes
                        else "外墙保温层厚度不足，需整改后重新验收（合成）",
                    )
                    acceptances += 1
                    if not first_passes:
                        services.record_acceptance(
                            system, project, accepted_on=done + dt.timedelta(days=45), passed=True
                        )
                        acceptances += 1
                else:
                    passes = year == 2021 or rng.random() > 0.05
                    services.record_inspection(
                        system,
                        project,
                        inspected_on=done - dt.timedelta(days=20),
                        inspector="市工程质量监督站（合成）",
                        passed=passes,
                        findings="" if passes else "混凝土强度检测不合格（合成）",
                    )
                    inspections += 1
    honours = 0
    for honour in Honour.objects.standing().filter(kind__in=PROJECT_HONOURS).order_by("pk"):
        project = services.create_project(
            system,
            name=honour.holder_name,
            kind=ProjectKind.CONSTRUCTION,
            region=honour.city,
            builder=builders[honours % len(builders)],
            is_synthetic=honour.is_synthetic,
        )
        services.link_honour(system, project, honour)
        honours += 1
    return {
        "projects": projects + honours,
        "acceptances": acceptances,
        "inspections": inspections,
        "honours": honours,
    }
