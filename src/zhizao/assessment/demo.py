"""The demo assessment template for 2021, labelled as such everywhere it is shown:
"示例模板，非省级正式考核细则" (a demo template, not the province's official assessment rules).

Its items follow what the source article reports the province assesses in a city's quality
work (quality awards and honours, standards, rapid testing in markets, supervision sampling,
the environment, engineering quality, incidents, enterprises' quality, funds and the one-stop
service); the points, thresholds and required documents are invented for the demo. The
province's real rules are entered by staff on the template pages, or copied from the previous
year's template and edited."""

from __future__ import annotations

from decimal import Decimal

from zhizao.assessment import services
from zhizao.assessment.choices import DEMO_LABEL_ZH
from zhizao.assessment.models import AssessmentTemplate
from zhizao.core.actors import system_actor

DATASET = "assessment"
VERSION = 1
YEAR = 2021
NAME = f"{DEMO_LABEL_ZH}（{YEAR}）"

# (number, title zh, title en, points, indicator lines, required documents)
ITEMS: tuple[tuple[str, str, str, int, str, str], ...] = (
    ("1", "质量工作组织领导", "Leadership of quality work", 10, "", ""),
    (
        "1.1",
        "质量强市工作机制",
        "The quality-city mechanism",
        6,
        "",
        "质量强市工作领导小组文件\n年度工作要点",
    ),
    (
        "1.2",
        "质量工作纳入政府绩效考核",
        "Quality work in the government's performance review",
        4,
        "",
        "绩效考核办法",
    ),
    ("2", "质量奖励与荣誉", "Quality awards and honours", 12, "", ""),
    (
        "2.1",
        "政府质量奖",
        "Government quality awards",
        8,
        "awards.governor.winners >= 1\nawards.mayor.winners >= 1",
        "获奖名单文件",
    ),
    (
        "2.2",
        "质量品牌与标杆",
        "Brands and benchmarks",
        4,
        "honours.national_benchmark\nhonours.hunan_benchmark",
        "",
    ),
    ("3", "标准化与质量基础设施", "Standards and quality infrastructure", 14, "", ""),
    (
        "3.1",
        "主导或参与制修订标准",
        "Standards led or joined",
        8,
        "standards.national >= 1\nstandards.group",
        "标准发布公告",
    ),
    (
        "3.2",
        "质量基础设施一站式服务",
        "The quality-infrastructure one-stop service",
        6,
        "nqi.onestop.requests\nnqi.onestop.on_time_share >= 90",
        "",
    ),
    ("4", "食用农产品快检", "Rapid testing of edible agricultural products", 12, "", ""),
    (
        "4.1",
        "快检覆盖与合格率",
        "Coverage and pass rate",
        12,
        "rapidtest.rooms\nrapidtest.pass_rate >= 98",
        "快检工作方案",
    ),
    ("5", "监督抽检", "Supervision sampling", 12, "", ""),
    (
        "5.1",
        "食品安全监督抽检",
        "Food-safety supervisory sampling",
        6,
        "sampling.food_safety_supervisory.pass_rate >= 97",
        "",
    ),
    (
        "5.2",
        "工业产品监督抽查",
        "Industrial-product sampling",
        6,
        "sampling.industrial.pass_rate >= 90",
        "",
    ),
    ("6", "生态环境质量", "Environmental quality", 10, "", ""),
    ("6.1", "空气质量", "Air quality", 6, "air.good_day_ratio >= 85\nair.pm2_5 <= 40", ""),
    ("6.2", "饮用水安全", "Drinking water", 4, "water.drinking_source_compliance >= 100", ""),
    (
        "7",
        "工程质量",
        "Engineering quality",
        10,
        "engineering.first_pass_rate >= 95",
        "工程质量监督报告",
    ),
    (
        "8",
        "质量安全事件",
        "Quality-safety incidents",
        10,
        "incidents.major <= 0",
        "事件处置情况说明",
    ),
    (
        "9",
        "企业质量主体责任",
        "Enterprises' quality responsibility",
        5,
        "enterprise.cqo_trained >= 100",
        "首席质量官培训记录",
    ),
    (
        "10",
        "质量激励资金",
        "Quality incentive funds",
        5,
        "funds.quality_award_bonus.granted",
        "资金拨付文件",
    ),
)


def load() -> dict[str, int]:
    actor = system_actor()
    template = AssessmentTemplate.objects.filter(year=YEAR, name=NAME).first()
    if template is None:
        template = services.create_template(actor, YEAR, NAME, is_demo=True)
    for number, title_zh, title_en, points, lines, documents in ITEMS:
        services.save_item(
            actor,
            template,
            {
                "number": number,
                "title_zh": title_zh,
                "title_en": title_en,
                "points": Decimal(points),
                "required_documents": documents,
                "criteria": "示例评分细则（合成数据）。Demo criteria (synthetic).",
            },
            services.parse_mappings(lines),
            item=template.items.filter(number=number).first(),
        )
    return {"templates": 1, "items": template.items.count()}
