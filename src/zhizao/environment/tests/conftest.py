import datetime as dt
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import pytest

from zhizao.core.actors import system_actor
from zhizao.core.models import Region
from zhizao.environment import services
from zhizao.environment.choices import StationLevel
from zhizao.environment.models import Station


def make_station(code: str, region: Region, **extra: Any) -> Station:
    return services.create_station(
        system_actor(),
        code=code,
        name=extra.pop("name", f"测试站{code}"),
        level=StationLevel.NATIONAL,
        region=region,
        latitude="27.800000",
        longitude="113.100000",
        active_from=extra.pop("active_from", dt.date(2012, 1, 1)),
        **extra,
    )


@pytest.fixture
def env(personas):
    """Two stations: one in 芦淞区 (the city officer's), one in 天元区 (also the district
    officer's)."""
    data = SimpleNamespace(p=personas)
    data.lusong = make_station("T001A", personas.lusong)
    data.tianyuan = make_station("T002A", personas.tianyuan)
    return data


HEADER = "站点编码,时间,SO2,NO2,PM10,PM2.5,CO,O3,标识"


def day_rows(
    code: str,
    day: dt.date,
    *,
    pm25: float = 30.0,
    co: float = 0.8,
    hours: Iterable[int] = range(24),
) -> list[str]:
    """A day's rows in the national platform's layout (hour labelled by its end)."""
    rows = []
    for hour in hours:
        label = f"{day.isoformat()} {hour + 1:02d}:00"
        rows.append(f"{code},{label},10,30,50,{pm25},{co},{60 + hour},V")
    return rows


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
