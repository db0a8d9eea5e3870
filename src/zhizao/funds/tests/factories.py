"""Fund ledger records the tests make."""

from __future__ import annotations

import datetime as dt

from zhizao.core.actors import system_actor
from zhizao.core.models import Region
from zhizao.funds import services
from zhizao.funds.choices import ProgrammeKind, ProgrammeLevel
from zhizao.funds.models import FundProgramme


def programme(
    region: Region,
    *,
    code: str = "test-fund",
    budget: str = "1000000.00",
    kind: str = ProgrammeKind.STANDARDIZATION_REWARD,
    year: int = 2022,
) -> FundProgramme:
    return services.create_programme(
        system_actor(),
        {
            "code": code,
            "kind": kind,
            "level": ProgrammeLevel.DISTRICT if region.level == "district" else ProgrammeLevel.CITY,
            "year": year,
            "name": f"测试资金 {code}",
            "region": region,
            "authority": "测试主管部门",
            "budget": budget,
        },
    )


DAY = dt.date(2022, 6, 1)
