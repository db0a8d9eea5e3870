"""The environment API: uploading real files (CSV) through the import service, refused files
answered in the documented error body, the public measurements it then serves (hours paged and
capped, the city's days, evaluations equal to the app's), water samples."""

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from zhizao.environment import evaluation, services
from zhizao.environment.choices import SectionKind
from zhizao.environment.models import AirHour, AirImport
from zhizao.environment.tests.conftest import csv_bytes, day_rows

pytestmark = pytest.mark.django_db

API = "/api/v1/environment"
DAY = dt.date(2021, 3, 1)


def upload(client: Client, data: bytes, name: str = "hours.csv", **extra: str) -> Any:
    file = io.BytesIO(data)
    file.name = name
    return client.post(f"{API}/uploads?lang=en", {"file": file, **extra})


def test_staff_upload_a_file_and_the_public_reads_what_it_holds(env):
    rows = [*day_rows("T001A", DAY), *day_rows("T001A", DAY + dt.timedelta(days=1), pm25=90.0)]
    response = upload(env.p.client("officer"), csv_bytes(*rows))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rows"] == 48
    assert body["replaced"] == 0
    assert AirImport.objects.get(pk=body["id"]).uploaded_by == env.p.officer
    assert AirHour.objects.filter(station=env.lusong).count() == 48

    public = env.p.client("anonymous")
    page = public.get(
        f"{API}/stations/T001A/hours", {"start": "2021-03-01", "end": "2021-03-02", "limit": 30}
    ).json()
    assert page["count"] == 48
    assert len(page["items"]) == 30
    first = page["items"][0]
    assert (first["day"], first["hour"], first["label"]) == ("2021-03-01", 0, "2021-03-01 01:00")
    assert first["pm2_5"] == 30.0

    days = public.get(f"{API}/cities/430200/days", {"year": 2021}).json()
    assert [d["day"] for d in days] == [
        (dt.date(2021, 1, 1) + dt.timedelta(days=n)).isoformat() for n in range(365)
    ]
    by_day = {d["day"]: d for d in days}
    assert by_day["2021-03-01"]["pm2_5"] == 30.0
    assert by_day["2021-03-02"]["aqi"] == 119  # PM2.5 90 µg/m³: IAQI 118.75, rounded up
    assert by_day["2021-03-02"]["primary"] == ["pm2_5"]
    assert by_day["2021-03-03"]["aqi"] is None

    city = public.get(f"{API}/cities/430200/evaluation", {"year": 2021}).json()
    app = evaluation.city_year(env.p.city, 2021)
    assert app is not None
    assert city["valid_days"] == app.evaluation.valid_days == 2
    assert city["good_days"] == 1
    assert city["polluted_days"] == 1
    assert city["concentrations"]["pm2_5"] == app.evaluation.concentrations["pm2_5"] == 60.0
    assert city["composite_index"] == app.evaluation.composite.rounded() == 4.04
    assert city["validity"]["pm2_5"]["meets"] is False  # two days of a year
    assert city["attainment"]["pm2_5"]["attains"] is None
    assert city["station_hours"] == 48
    station = public.get(f"{API}/stations/T001A/evaluation", {"year": 2021}).json()
    assert station["concentrations"] == city["concentrations"]  # the city's one station
    assert public.get(f"{API}/stations/T002A/evaluation", {"year": 2021}).status_code == 404


def test_a_refused_file_saves_nothing_and_lists_its_rows_in_the_error_body(env):
    rows = day_rows("T001A", DAY, hours=range(3))
    rows[1] = rows[1].replace(",0.8,", ",800,")  # CO in µg/m³
    rows.append("NOPE,2021-03-01 05:00,1,1,1,1,1,1,V")
    response = upload(env.p.client("officer"), csv_bytes(*rows))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The file was refused: nothing was saved."
    assert body["errors"]["co"][0].startswith("Row 3: CO above 50 mg/m³")
    assert body["errors"]["station"][0].startswith("Row 5: Unknown station code")
    assert not AirHour.objects.exists()
    assert not AirImport.objects.exists()
    chinese = env.p.client("officer")
    chinese.cookies["django_language"] = "zh-hans"
    file = io.BytesIO(csv_bytes(*rows))
    file.name = "hours.csv"
    body = chinese.post(f"{API}/uploads", {"file": file}).json()
    assert "未知" in body["errors"]["station"][0] or "站点" in body["errors"]["station"][0]


def test_only_bureau_staff_upload(env):
    data = csv_bytes(*day_rows("T002A", DAY))
    assert upload(env.p.client("alice"), data).status_code == 403
    assert upload(env.p.client("anonymous"), data).status_code == 401
    # The district officer is staff, but not of 芦淞区's station: the service refuses.
    refused = upload(env.p.client("district_officer"), csv_bytes(*day_rows("T001A", DAY)))
    assert refused.status_code == 403
    assert "T001A" in refused.json()["detail"]
    assert upload(env.p.client("district_officer"), data, hour_label="end").status_code == 201
    assert not AirHour.objects.filter(station=env.lusong).exists()


def test_hours_are_asked_for_a_bounded_range(env):
    public = env.p.client("anonymous")
    url = f"{API}/stations/T001A/hours"
    assert public.get(url, {"start": "2021-01-01", "end": "2022-01-01"}).status_code == 200
    too_long = public.get(url, {"start": "2021-01-01", "end": "2022-01-02"})
    assert too_long.status_code == 422
    assert "366" in too_long.json()["detail"]
    assert public.get(url, {"start": "2021-02-01", "end": "2021-01-01"}).status_code == 422
    assert (
        public.get(url, {"start": "2021-01-01", "end": "2021-01-02", "limit": 501}).status_code
        == 422
    )
    assert (
        public.get(
            f"{API}/stations/NOPE/hours", {"start": "2021-01-01", "end": "2021-01-02"}
        ).status_code
        == 404
    )


def test_stations_and_sections_are_listed_and_filtered(env, django_assert_max_num_queries):
    public = env.p.client("anonymous")
    with django_assert_max_num_queries(4):
        listed = public.get(f"{API}/stations").json()
    assert [s["code"] for s in listed["items"]] == ["T001A", "T002A"]
    assert listed["items"][1]["district"] == env.p.tianyuan.code
    tianyuan = public.get(f"{API}/stations", {"district": env.p.tianyuan.code}).json()
    assert [s["code"] for s in tianyuan["items"]] == ["T002A"]
    assert public.get(f"{API}/stations", {"district": "999999"}).json()["count"] == 0
    assert public.get(f"{API}/stations/T002A").json()["name"] == env.tianyuan.name

    section = services.create_section(
        env.p.officer,
        code="XJ-T",
        name="湘江测试断面",
        water_body="湘江",
        kind=SectionKind.RIVER,
        target_class=2,
        region=env.p.tianyuan,
    )
    services.record_water_sample(env.p.officer, section, DAY, {"do": "7.5", "nh3_n": "0.8"})
    services.record_water_sample(env.p.officer, section, DAY.replace(year=2020), {"nh3_n": "0.3"})
    assert [s["code"] for s in public.get(f"{API}/sections", {"q": "湘江"}).json()["items"]] == [
        "XJ-T"
    ]
    samples = public.get(f"{API}/sections/XJ-T/samples").json()["items"]
    assert [(s["sampled_on"], s["class_label"], s["meets_target"]) for s in samples] == [
        ("2021-03-01", "III", False),
        ("2020-03-01", "II", True),
    ]
    year = public.get(f"{API}/sections/XJ-T/samples", {"year": 2020}).json()
    assert year["count"] == 1
