"""The permission matrix of environmental quality's pages (see "Permission matrix" in
docs/core.md). The public reads the air and water pages and a day's station-hours; bureau staff
of the city see data completeness; bureau staff import hourly data (of their own stations: the
service checks each station's district, tests/test_import.py)."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from zhizao.core.testing import ALL, CITY_STAFF, NOT_REFUSED, STAFF, Personas, page
from zhizao.environment import services
from zhizao.environment.tests.conftest import csv_bytes, day_rows, make_station

DAY = dt.date(2021, 3, 1)


def scenario(personas: Personas) -> SimpleNamespace:
    station = make_station("M001A", personas.lusong)
    outcome = services.import_air_hours(
        personas.admin, io.BytesIO(csv_bytes(*day_rows(station.code, DAY))), file_name="m.csv"
    )
    assert outcome.ok
    return SimpleNamespace(p=personas, station=station)


PERMISSIONS = [
    page("environment:air", allow=ALL, query="city=430200&year=2021"),
    page(
        "environment:air_day",
        allow=ALL,
        kwargs=lambda s: {"city": "430200", "day": DAY.isoformat()},
    ),
    page("environment:water", allow=ALL, query="city=430200"),
    page("environment:completeness", allow=CITY_STAFF, query="city=430200&year=2021"),
    page("environment:upload", allow=STAFF),
    page(
        "environment:upload",
        method="post",
        allow=STAFF,
        ok=NOT_REFUSED,
        body=lambda s, persona: {"hour_label": "end"},
        label="no file",
    ),
]
