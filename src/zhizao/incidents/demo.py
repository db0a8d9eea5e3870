"""Demo incidents, 2017–2021: a few general (一般) incidents, generated and marked synthetic;
no major one, as the article says ("no major quality-safety incident in food, drugs, special
equipment, industrial products, engineering or services for many years")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhizao.core.actors import system_actor
from zhizao.core.models import Region
from zhizao.incidents import services
from zhizao.incidents.choices import Domain

DATASET = "incidents"
VERSION = 1

# (date, domain, title, district code, deaths, injured, affected, loss 万元)
INCIDENTS = (
    (dt.date(2017, 6, 12), Domain.FOOD, "某学校食堂食物中毒事件（合成）", "430202", 0, 0, 32, "0"),
    (
        dt.date(2018, 9, 3),
        Domain.SPECIAL_EQUIPMENT,
        "某小区电梯困人事件（合成）",
        "430211",
        0,
        1,
        0,
        "2",
    ),
    (
        dt.date(2019, 4, 20),
        Domain.ENGINEERING,
        "某工地模板支架局部坍塌（合成）",
        "430203",
        0,
        2,
        0,
        "35",
    ),
    (
        dt.date(2020, 11, 8),
        Domain.INDUSTRIAL_PRODUCTS,
        "某品牌电热水器漏电伤人（合成）",
        "430204",
        0,
        1,
        0,
        "5",
    ),
    (
        dt.date(2021, 7, 15),
        Domain.SERVICES,
        "某游乐场设施故障致轻伤（合成）",
        "430281",
        0,
        0,
        6,
        "1",
    ),
)


def load() -> dict[str, int]:
    system = system_actor()
    for occurred, domain, title, code, deaths, injured, affected, loss in INCIDENTS:
        services.record_incident(
            system,
            domain=domain,
            title=title,
            occurred_on=occurred,
            region=Region.objects.get(code=code),
            deaths=deaths,
            injured=injured,
            affected=affected,
            direct_loss_10k_yuan=Decimal(loss),
            summary="synthetic demo record (合成演示数据)",
            is_synthetic=True,
        )
    return {"incidents": len(INCIDENTS)}
