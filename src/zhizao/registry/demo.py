"""Demo data of the honours registry: the counts of the article's "株洲方阵" list for the honours
that are not government quality awards (those flow in from the awards app's results).

The article gives counts, not holders: every holder here is synthetic and marked, except
醴陵釉下五彩瓷, which the article names as one of the city's famous brand products (its GI
status here is illustrative and also marked synthetic).
"""

from __future__ import annotations

from zhizao.core.actors import system_actor
from zhizao.core.models import Region
from zhizao.registry import services
from zhizao.registry.choices import HolderKind, HonourKind

DATASET = "registry"
VERSION = 1

# kind, count, holder kind, label used in synthetic names
COUNTS = (
    (HonourKind.NATIONAL_BENCHMARK, 2, HolderKind.ORGANIZATION, "全国质量标杆示例企业"),
    (
        HonourKind.PROVINCIAL_INDUSTRIAL_BENCHMARK,
        5,
        HolderKind.ORGANIZATION,
        "省工业质量标杆示例企业",
    ),
    (HonourKind.LUBAN_AWARD, 4, HolderKind.PROJECT, "鲁班奖示例工程"),
    (HonourKind.FURONG_AWARD, 49, HolderKind.PROJECT, "芙蓉奖示例工程"),
    (HonourKind.MADRID_TRADEMARK, 43, HolderKind.PRODUCT, "马德里示例商标"),
    (HonourKind.WELL_KNOWN_TRADEMARK, 41, HolderKind.PRODUCT, "驰名示例商标"),
    (HonourKind.GI_PROTECTED_PRODUCT, 1, HolderKind.PRODUCT, ""),
    (HonourKind.GI_CERTIFICATION_MARK, 19, HolderKind.PRODUCT, "地理标志证明商标示例"),
)


def load() -> dict[str, int]:
    city = Region.objects.get(code="430200")
    system = system_actor()
    total = 0
    for kind, count, holder_kind, label in COUNTS:
        for index in range(1, count + 1):
            name = (
                "醴陵釉下五彩瓷"
                if kind == HonourKind.GI_PROTECTED_PRODUCT
                else f"{label}{index:02d}（合成）"
            )
            services.create_honour(
                system,
                {
                    "kind": kind,
                    "holder_kind": holder_kind,
                    "holder_name": name,
                    "city": city,
                    "evidence": "synthetic demo record (合成演示数据)",
                    "is_synthetic": True,
                },
            )
            total += 1
    return {"honours": total}
