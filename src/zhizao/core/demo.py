"""The demo city, Zhuzhou (株洲市, Hunan): its regions, the organizations the source article names,
and one login per role.

The article gives names, not credit codes: every credit code here is generated (valid check
character, marked synthetic). Other apps add their own demo data through a ``demo`` module with
``DATASET``, ``VERSION`` and ``load()``; ``zhizao demo`` runs each once (see :func:`load_all`).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from django.apps import apps
from django.db import transaction
from stdnum.cn import uscc

from zhizao.core import services
from zhizao.core.actors import SYSTEM_USERNAME, acting_as, system_actor
from zhizao.core.choices import IndustryChain, OrganizationKind, RegionLevel, Role
from zhizao.core.models import DemoDataset, Organization, Region, User

DATASET = "core"
VERSION = 2  # 2: the three administrators (三员分立)
DEMO_PASSWORD = "zhizao-demo"

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# GB/T 2260 codes: Hunan, its 14 prefecture-level divisions, and Zhuzhou's districts and counties.
PROVINCE = ("430000", "湖南省", "Hunan Province")
CITIES = (
    ("430100", "长沙市", "Changsha"),
    ("430200", "株洲市", "Zhuzhou"),
    ("430300", "湘潭市", "Xiangtan"),
    ("430400", "衡阳市", "Hengyang"),
    ("430500", "邵阳市", "Shaoyang"),
    ("430600", "岳阳市", "Yueyang"),
    ("430700", "常德市", "Changde"),
    ("430800", "张家界市", "Zhangjiajie"),
    ("430900", "益阳市", "Yiyang"),
    ("431000", "郴州市", "Chenzhou"),
    ("431100", "永州市", "Yongzhou"),
    ("431200", "怀化市", "Huaihua"),
    ("431300", "娄底市", "Loudi"),
    ("433100", "湘西土家族苗族自治州", "Xiangxi Tujia and Miao Autonomous Prefecture"),
)
ZHUZHOU_DISTRICTS = (
    ("430202", "荷塘区", "Hetang District"),
    ("430203", "芦淞区", "Lusong District"),
    ("430204", "石峰区", "Shifeng District"),
    ("430211", "天元区", "Tianyuan District"),
    ("430212", "渌口区", "Lukou District"),
    ("430223", "攸县", "You County"),
    ("430224", "茶陵县", "Chaling County"),
    ("430225", "炎陵县", "Yanling County"),
    ("430281", "醴陵市", "Liling"),
)
ZHUZHOU_PARKS = (
    ("株洲国家高新技术产业开发区", "Zhuzhou National High-tech Industrial Development Zone"),
    ("株洲经济开发区", "Zhuzhou Economic Development Zone"),
)


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    name_en: str
    kind: str
    region_code: str
    chain: str = ""
    parent: str = ""


# Organizations named in the source article (names as the article gives them).
ORGANIZATIONS = (
    DemoOrganization(
        "株洲市市场监督管理局",
        "Zhuzhou Administration for Market Regulation",
        OrganizationKind.GOVERNMENT,
        "430200",
    ),
    DemoOrganization(
        "中国中车股份有限公司",
        "CRRC Corporation Limited",
        OrganizationKind.ENTERPRISE,
        "110000",
        IndustryChain.RAIL_TRANSIT,
    ),
    DemoOrganization(
        "中车株洲电力机车有限公司",
        "CRRC Zhuzhou Locomotive Co., Ltd.",
        OrganizationKind.ENTERPRISE,
        "430204",
        IndustryChain.RAIL_TRANSIT,
        "中国中车股份有限公司",
    ),
    DemoOrganization(
        "株洲中车时代电气股份有限公司",
        "Zhuzhou CRRC Times Electric Co., Ltd.",
        OrganizationKind.ENTERPRISE,
        "430204",
        IndustryChain.RAIL_TRANSIT,
        "中国中车股份有限公司",
    ),
    DemoOrganization(
        "中车株洲电机有限公司",
        "CRRC Zhuzhou Electric Co., Ltd.",
        OrganizationKind.ENTERPRISE,
        "430204",
        IndustryChain.RAIL_TRANSIT,
        "中国中车股份有限公司",
    ),
    DemoOrganization(
        "株洲时代新材料科技股份有限公司",
        "Zhuzhou Times New Material Technology Co., Ltd.",
        OrganizationKind.ENTERPRISE,
        "430211",
        IndustryChain.RAIL_TRANSIT,
        "中国中车股份有限公司",
    ),
    DemoOrganization(
        "中车时代电动汽车股份有限公司",
        "CRRC Times Electric Vehicle Co., Ltd.",
        OrganizationKind.ENTERPRISE,
        "430211",
        IndustryChain.NEW_ENERGY_VEHICLES,
        "中国中车股份有限公司",
    ),
    DemoOrganization(
        "株洲硬质合金集团有限公司",
        "Zhuzhou Cemented Carbide Group Co., Ltd.",
        OrganizationKind.ENTERPRISE,
        "430202",
        IndustryChain.HARD_MATERIALS,
    ),
    DemoOrganization(
        "中国铁建重工集团股份有限公司",
        "China Railway Construction Heavy Industry Co., Ltd.",
        OrganizationKind.ENTERPRISE,
        "430100",
    ),
)


def synthetic_credit_code(name: str, region_code: str) -> str:
    """A valid-looking, clearly generated unified social credit code for a demo record."""
    digest = hashlib.sha256(name.encode()).digest()
    body = "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:9])
    stem = f"91{region_code[:6]}{body}"
    return stem + uscc.calc_check_digit(stem)


def _region(code: str, name: str, name_en: str, level: str, parent: Region | None) -> Region:
    region, _created = Region.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "level": level, "parent": parent}
    )
    return region


def load_regions() -> Region:
    """The province, its cities and Zhuzhou's districts and parks (idempotent); the history
    rows name the system actor."""
    with transaction.atomic(), acting_as(system_actor()):
        return _load_regions()


def _load_regions() -> Region:
    province = _region(*PROVINCE, RegionLevel.PROVINCE, None)
    _region("110000", "北京市", "Beijing", RegionLevel.PROVINCE, None)
    city = province
    for code, name, name_en in CITIES:
        region = _region(code, name, name_en, RegionLevel.CITY, province)
        if code == "430200":
            city = region
    for code, name, name_en in ZHUZHOU_DISTRICTS:
        _region(code, name, name_en, RegionLevel.DISTRICT, city)
    for name, name_en in ZHUZHOU_PARKS:
        Region.objects.get_or_create(
            parent=city, name=name, defaults={"name_en": name_en, "level": RegionLevel.PARK}
        )
    return city


def load() -> dict[str, int]:
    load_regions()
    regions = {region.code: region for region in Region.objects.exclude(code="")}
    for spec in ORGANIZATIONS:
        if Organization.objects.filter(name=spec.name).exists():
            continue
        organization = Organization(
            name=spec.name,
            name_en=spec.name_en,
            credit_code=synthetic_credit_code(spec.name, spec.region_code),
            kind=spec.kind,
            region=regions[spec.region_code],
            industry_chain=spec.chain,
            parent=Organization.objects.get(name=spec.parent) if spec.parent else None,
            is_synthetic=False,
        )
        organization.full_clean()
        organization.save()
    _load_users(regions)
    return {
        "regions": Region.objects.count(),
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
    }


DEMO_USERS = (
    ("admin", "superuser", "", ""),
    ("officer", Role.BUREAU_STAFF, "430200", ""),
    ("tianyuan", Role.BUREAU_STAFF, "430211", ""),
    ("csr_electric", Role.ENTERPRISE, "", "中车株洲电机有限公司"),
    ("zhuying", Role.ENTERPRISE, "", "株洲硬质合金集团有限公司"),
    ("assessor", Role.ASSESSOR, "", ""),
    ("committee", Role.COMMITTEE, "", ""),
    # 三员分立: the system, security and audit administrators (docs/security.md).
    ("sysadmin", Role.SYSTEM_ADMIN, "", ""),
    ("secadmin", Role.SECURITY_ADMIN, "", ""),
    ("auditor", Role.AUDIT_ADMIN, "", ""),
)


def _load_users(regions: dict[str, Region]) -> None:
    for username, role, region_code, organization_name in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        services.create_user(
            username=username,
            password=DEMO_PASSWORD,
            role="" if role == "superuser" else role,
            region=regions.get(region_code) if region_code else None,
            organization=(
                Organization.objects.get(name=organization_name) if organization_name else None
            ),
            is_superuser=role == "superuser",
        )


def demo_users() -> list[User]:
    """The logins of a demo database (every app's demo creates its own), oldest first; the
    system actor signs history rows and is no login."""
    return list(
        User.objects.filter(is_active=True)
        .exclude(username=SYSTEM_USERNAME)
        .select_related("organization", "region")
        .order_by("pk")
    )


def demo_modules() -> list[ModuleType]:
    """Every installed Zhizao app's ``demo`` module, core first, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhizao."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
    return modules


def load_all(report: Callable[[str], None] = print, *, only: str | None = None) -> None:
    """Load each app's demo data set once; a data set already in the ledger is skipped."""
    for module in demo_modules():
        name, version = module.DATASET, module.VERSION
        if only and name != only:
            continue
        if DemoDataset.objects.filter(name=name, version__gte=version).exists():
            report(f"{name}: already loaded")
            continue
        # Every history row the loader writes names the system actor (services it calls are
        # handed the same actor explicitly).
        with transaction.atomic(), acting_as(system_actor()):
            summary = module.load()
            DemoDataset.objects.update_or_create(
                name=name, defaults={"version": version, "summary": summary}
            )
        report(f"{name}: loaded {summary}")
