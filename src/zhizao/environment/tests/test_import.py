"""The hourly air-data import: the national platform's layout (hours labelled by their end),
time zones, all-or-nothing refusal with row- and field-level errors in both languages, unit
mistakes, XLSX, idempotent replacement with its audit, and the permission check."""

import datetime as dt
import io
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook

from zhizao.core.models import User
from zhizao.environment import services
from zhizao.environment.importing import ImportOutcome
from zhizao.environment.models import (
    AirHour,
    AirHourRevision,
    AirImport,
    CityAirDay,
    StationAirDay,
)
from zhizao.environment.tests.conftest import HEADER, csv_bytes, day_rows
from zhizao.indicators import air_eval

pytestmark = pytest.mark.django_db

DAY = dt.date(2021, 3, 1)


def run(actor: User, data: bytes, name: str = "hours.csv", **options: Any) -> ImportOutcome:
    return services.import_air_hours(actor, io.BytesIO(data), file_name=name, **options)


def test_hours_labelled_by_their_end_are_stored_by_their_start(env):
    outcome = run(env.p.officer, csv_bytes(*day_rows("T001A", DAY)))
    assert outcome.ok, outcome.errors
    assert outcome.rows == 24
    hours = AirHour.objects.filter(station=env.lusong).order_by("hour")
    assert [h.hour for h in hours] == list(range(24))
    assert {h.day for h in hours} == {DAY}  # "24:00" ends the same day, not the next
    first = hours[0]
    assert first.o3 == 60
    assert first.label == "2021-03-01 01:00"
    assert hours.last().o3 == 83
    batch = AirImport.objects.get()
    assert batch.uploaded_by == env.p.officer
    assert batch.rows == 24
    assert batch.history.get().history_user == env.p.officer
    # The city's day is the engine's: all 24 hours valid, AQI of the six daily values.
    day = CityAirDay.objects.get(city=env.p.city, day=DAY)
    assert day.valid
    assert day.pm2_5 == pytest.approx(30.0)
    assert day.stations == 1


def test_the_next_days_midnight_ends_the_day_too(env):
    rows = day_rows("T001A", DAY, hours=range(23))
    rows.append(f"T001A,{(DAY + dt.timedelta(days=1)).isoformat()} 00:00,10,30,50,30,0.8,60,V")
    assert run(env.p.officer, csv_bytes(*rows)).ok
    assert AirHour.objects.filter(day=DAY).count() == 24


def test_hours_labelled_by_their_start(env):
    rows = [f"T001A,{DAY.isoformat()}T{h:02d}:00,10,30,50,30,0.8,60,V" for h in range(24)]
    assert run(env.p.officer, csv_bytes(*rows), hour_label="start").ok
    assert sorted(AirHour.objects.values_list("hour", flat=True)) == list(range(24))
    refused = run(
        env.p.officer, csv_bytes(f"T001A,{DAY.isoformat()} 24:00,1,1,1,1,1,1,V"), hour_label="start"
    )
    assert not refused.ok
    assert refused.errors[0]["column"] == "time"


def test_a_time_in_utc_is_converted_to_the_stations_local_time(env):
    # 16:00Z = 00:00 Beijing time on 2 March: the hour ending then is 23:00–24:00 on 1 March.
    assert run(env.p.officer, csv_bytes("T001A,2021-03-01T16:00Z,1,2,3,4,0.5,6,V")).ok
    hour = AirHour.objects.get()
    assert (hour.day, hour.hour) == (DAY, 23)
    assert run(env.p.officer, csv_bytes("T001A,2021-03-01T10:00+02:00,1,2,3,4,0.5,6,V")).ok
    assert AirHour.objects.filter(day=DAY, hour=15).exists()  # 08:00Z = 16:00 local, ends


def test_a_malformed_file_saves_nothing_and_lists_every_bad_row(env):
    rows = day_rows("T001A", DAY)
    rows[2] = f"T001A,{DAY.isoformat()} 03:00,10,abc,50,30,0.8,60,V"  # row 4: NO2 not a number
    rows[5] = f"T001A,{DAY.isoformat()} 06:30,10,30,50,30,0.8,60,V"  # row 7: not a whole hour
    rows[7] = f"NOPE,{DAY.isoformat()} 08:00,10,30,50,30,0.8,60,V"  # row 9: unknown station
    rows[8] = f"T001A,{DAY.isoformat()} 09:00,10,30,-5,30,0.8,60,V"  # row 10: negative PM10
    rows[9] = f"T001A,{DAY.isoformat()} 10:00,10,30,50,30,0.8,60,X"  # row 11: unknown flag
    rows.append(f"T001A,{DAY.isoformat()} 01:00,10,30,50,30,0.8,60,V")  # row 26: duplicate
    with translation.override("en"):
        outcome = run(env.p.officer, csv_bytes(*rows))
    assert not outcome.ok
    found = {(e["row"], e["column"]) for e in outcome.errors}
    assert found == {
        (4, "no2"),
        (7, "time"),
        (9, "station"),
        (10, "pm10"),
        (11, "flag"),
        (26, "time"),
    }
    messages = {e["row"]: e["message"] for e in outcome.errors}
    assert messages[4] == "This is not a number."
    assert "NOPE" in messages[9]
    assert "twice" in messages[26]
    assert AirHour.objects.count() == 0
    assert AirImport.objects.count() == 0
    with translation.override("zh-hans"):
        chinese = run(env.p.officer, csv_bytes(*rows))
    assert {e["row"]: e["message"] for e in chinese.errors}[4] == "这不是数字。"
    assert "未知站点编码" in {e["row"]: e["message"] for e in chinese.errors}[9]


def test_co_in_micrograms_is_refused_with_the_line_and_the_reason(env):
    rows = day_rows("T001A", DAY)
    rows[3] = f"T001A,{DAY.isoformat()} 04:00,10,30,50,30,800,60,V"
    with translation.override("en"):
        outcome = run(env.p.officer, csv_bytes(*rows))
    assert not outcome.ok
    (error,) = outcome.errors
    assert (error["row"], error["column"]) == (5, "co")
    assert "µg/m³" in error["message"]
    assert "unit mistake" in error["message"]
    assert AirHour.objects.count() == 0


def test_a_station_whose_values_are_a_thousand_times_too_large_is_refused(env):
    rows = [
        f"T002A,{DAY.isoformat()} {h + 1:02d}:00,10000,30000,50000,3000,0.9,60000,V"
        for h in range(24)
    ]
    rows = day_rows("T001A", DAY) + rows
    with translation.override("en"):
        outcome = run(env.p.officer, csv_bytes(*rows))
    assert not outcome.ok
    station_errors = [e for e in outcome.errors if "T002A" in e["message"]]
    assert {e["column"] for e in station_errors} >= {"pm2_5", "pm10", "o3"}
    assert all(e["row"] == 26 for e in station_errors)  # the station's first line
    assert AirHour.objects.count() == 0


def test_a_missing_column_and_an_unknown_header(env):
    outcome = run(env.p.officer, csv_bytes("T001A,1", header="站点编码,湿度"))
    assert not outcome.ok
    assert {e["column"] for e in outcome.errors} == {"湿度", "time", "file"}


def test_xlsx_in_the_same_layout(env):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in day_rows("T001A", DAY):
        cells = row.split(",")
        sheet.append([cells[0], cells[1], *(float(c) for c in cells[2:8]), cells[8]])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run(env.p.officer, buffer.getvalue(), name="hours.xlsx")
    assert outcome.ok, outcome.errors
    assert AirHour.objects.count() == 24


def test_reimporting_replaces_the_hours_it_contains_and_nothing_else(env):
    assert run(env.p.officer, csv_bytes(*day_rows("T001A", DAY), *day_rows("T002A", DAY))).ok
    before = dict(AirHour.objects.filter(station=env.tianyuan).values_list("hour", "pm2_5"))
    corrected = day_rows("T001A", DAY, pm25=80.0, hours=range(6, 12))
    outcome = run(env.p.district_officer, csv_bytes(*corrected[:0]), name="empty.csv")
    assert not outcome.ok  # no rows
    with pytest.raises(PermissionDenied):  # 芦淞区 is not the district officer's
        run(env.p.district_officer, csv_bytes(*corrected))
    outcome = run(env.p.officer, csv_bytes(*corrected), name="corrected.csv")
    assert outcome.ok
    assert outcome.replaced == 6
    stored = dict(AirHour.objects.filter(station=env.lusong).values_list("hour", "pm2_5"))
    assert [h for h, v in stored.items() if v == 80.0] == list(range(6, 12))
    assert all(stored[h] == 30.0 for h in (*range(6), *range(12, 24)))
    assert AirHour.objects.filter(station=env.lusong).count() == 24
    assert dict(AirHour.objects.filter(station=env.tianyuan).values_list("hour", "pm2_5")) == before
    revisions = AirHourRevision.objects.order_by("hour")
    assert [r.hour for r in revisions] == list(range(6, 12))
    assert {r.pm2_5 for r in revisions} == {30.0}
    batch = AirImport.objects.get(file_name="corrected.csv")
    assert {r.replaced_by_id for r in revisions} == {batch.pk}
    assert batch.replaced == 6
    assert batch.history.first().history_user == env.p.officer
    day = CityAirDay.objects.get(city=env.p.city, day=DAY)  # refreshed from the new hours
    assert day.pm2_5 == pytest.approx((30.0 * 18 + 80.0 * 6) / 24 / 2 + 30.0 / 2)
    # The same file again: the same hours, replaced once more, still 24.
    assert run(env.p.officer, csv_bytes(*corrected)).replaced == 6
    assert AirHour.objects.filter(station=env.lusong).count() == 24


def test_hours_outside_the_stations_active_period_are_refused(env):
    outcome = run(env.p.officer, csv_bytes(*day_rows("T001A", dt.date(2011, 6, 1), hours=[0])))
    assert not outcome.ok
    assert outcome.errors[0]["column"] == "time"


def test_station_days_follow_the_hours_each_file_touches(env):
    """A station's daily values are recomputed for the days a file touches only: from the
    file's hours when it has the whole day, from the stored hours when it has part of it."""
    next_day = DAY + dt.timedelta(days=1)
    first = csv_bytes(*day_rows("T001A", DAY, hours=range(12)), *day_rows("T001A", next_day))
    assert run(env.p.officer, first).ok
    days = {d.day: d for d in StationAirDay.objects.filter(station=env.lusong)}
    assert days[DAY].valid_hours == 12
    assert days[DAY].pm2_5 is None  # fewer than 20 valid hours
    assert days[next_day].pm2_5 == 30.0
    untouched = days[next_day].pk
    rest = day_rows("T001A", DAY, pm25=60.0, hours=range(12, 24))
    assert run(env.p.officer, csv_bytes(*rest), name="rest.csv").ok
    days = {d.day: d for d in StationAirDay.objects.filter(station=env.lusong)}
    assert days[DAY].valid_hours == 24
    assert days[DAY].pm2_5 == 45.0
    assert days[next_day].pk == untouched  # the file did not touch it
    hours = np.full((1, 1, 24), np.nan)
    for hour, value in AirHour.objects.filter(station=env.lusong, day=DAY).values_list(
        "hour", "o3"
    ):
        hours[0, 0, hour] = value
    engine = air_eval.station_daily_values({"o3": hours})
    assert days[DAY].o3_8h == float(engine["o3_8h"][0, 0])
    assert days[DAY].o3_1h == float(engine["o3_1h"][0, 0]) == 83.0
