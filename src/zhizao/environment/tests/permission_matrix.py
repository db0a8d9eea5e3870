"""The permission matrix of environmental quality's pages (see "Permission matrix" in
docs/core.md). The public reads the air and water pages and a day's station-hours; bureau staff
of the city see data completeness; bureau staff import hourly data (of their own stations: the
service checks each station's district, tests/test_import.py). In the API every published
measurement (stations, hours, daily AQI, evaluations, sections and samples) is public
environmental data; only bureau staff upload (tests/test_api.py uploads real files)."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from zhizao.core.testing import (
    ALL,
    BAD_REQUEST,
    CITY_STAFF,
    NOT_REFUSED,
    STAFF,
    Personas,
    operation,
    page,
)
from zhizao.environment import services
from zhizao.environment.choices import SectionKind
from zhizao.environment.tests.conftest import csv_bytes, day_rows, make_station

DAY = dt.date(2021, 3, 1)


def scenario(personas: Personas) -> SimpleNamespace:
    station = make_station("M001A", personas.lusong)
    outcome = services.import_air_hours(
        personas.admin, io.BytesIO(csv_bytes(*day_rows(station.code, DAY))), file_name="m.csv"
    )
    assert outcome.ok
    section = services.create_section(
        personas.officer,
        code="M-XJ",
        name="矩阵断面",
        water_body="湘江",
        kind=SectionKind.RIVER,
        target_class=2,
        region=personas.lusong,
    )
    services.record_water_sample(personas.officer, section, DAY, {"do": "7.5", "nh3_n": "0.3"})
    return SimpleNamespace(p=personas, station=station, section=section)


API = "/api/v1/environment"


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
    operation(f"GET {API}/stations"),
    operation(f"GET {API}/stations/{{code}}", kwargs=lambda s: {"code": s.station.code}),
    operation(
        f"GET {API}/stations/{{code}}/hours",
        kwargs=lambda s: {"code": s.station.code},
        query=f"start={DAY.isoformat()}&end={DAY.isoformat()}",
    ),
    operation(
        f"GET {API}/stations/{{code}}/evaluation",
        kwargs=lambda s: {"code": s.station.code},
        query="year=2021",
    ),
    operation(
        f"GET {API}/cities/{{city}}/days", kwargs=lambda s: {"city": "430200"}, query="year=2021"
    ),
    operation(
        f"GET {API}/cities/{{city}}/evaluation",
        kwargs=lambda s: {"city": "430200"},
        query="year=2021",
    ),
    operation(f"GET {API}/sections"),
    operation(f"GET {API}/sections/{{code}}", kwargs=lambda s: {"code": s.section.code}),
    operation(f"GET {API}/sections/{{code}}/samples", kwargs=lambda s: {"code": s.section.code}),
    operation(
        f"POST {API}/uploads",
        allow=STAFF,
        ok=BAD_REQUEST,
        body=lambda s, persona: {},
        label="no file",
    ),
]
