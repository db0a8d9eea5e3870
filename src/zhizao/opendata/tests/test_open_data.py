"""Open data: the series equal the published snapshots (never a live computation), the CSV and
XLSX files read back to the same values, the record datasets export their allow-listed columns
only and never a personal value, unpublished figures never appear, and every operation and
the catalogue are in the OpenAPI schema."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core.models import Person, Region
from zhizao.core.testing import make_organization
from zhizao.opendata import datasets
from zhizao.opendata.choices import SCHEMA_VERSION
from zhizao.opendata.tests.conftest import COUNT, STAFF_ONLY, publish
from zhizao.rapidtest import services as rapidtest_services
from zhizao.rapidtest.models import MarketProfile, Product, Stall, TestItem
from zhizao.registry import services as registry_services
from zhizao.registry.choices import HolderKind, HonourKind
from zhizao.reports import services as reports
from zhizao.reports.models import SnapshotFigure

pytestmark = pytest.mark.django_db

SERIES = "/api/v1/open/series"


def _published_value(snapshot, code=COUNT.code):
    return SnapshotFigure.objects.get(snapshot=snapshot, code=code).typed_value


def _values(client, **query):
    body = client.get(SERIES, {"code": COUNT.code, **query}).json()
    assert body["schema_version"] == SCHEMA_VERSION
    (series,) = body["series"]
    return {(value["region"], value["year"]): value for value in series["values"]}


def _csv(response):
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_series_are_the_published_snapshots_not_live_figures(published, client):
    values = _values(client)
    assert set(values) == {("430200", 2020), ("430200", 2021), ("430211", 2021)}
    before = values[("430200", 2021)]
    assert before["value"] == _published_value(published.city_2021)
    assert before["snapshot"] == published.city_2021.pk
    assert before["records"] == before["value"]

    # Records change and a new snapshot is taken, but not published: nothing changes.
    make_organization("开放数据新增企业有限公司", published.p.tianyuan)
    newer = reports.take_snapshot(published.p.officer, published.p.city, 2021)
    assert _published_value(newer) == before["value"] + 1
    assert _values(client)[("430200", 2021)]["value"] == before["value"]

    # Once republished, the open data shows the new figure.
    reports.publish(published.p.officer, newer)
    after = _values(client)[("430200", 2021)]
    assert after["value"] == before["value"] + 1
    assert after["snapshot"] == newer.pk
    assert _values(client)[("430200", 2020)]["value"] == before["value"]  # 2020 stays


def test_series_csv_and_xlsx_read_back_to_the_published_values(published, client):
    expected = {
        ("430200", "2020"): _published_value(published.city_2020),
        ("430200", "2021"): _published_value(published.city_2021),
        ("430211", "2021"): _published_value(published.tianyuan_2021),
    }
    response = client.get(SERIES, {"format": "csv", "code": COUNT.code})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert {(row["region"], row["year"]): int(row["value"]) for row in rows} == expected
    assert {row["schema_version"] for row in rows} == {SCHEMA_VERSION}
    assert {row["code"] for row in rows} == {COUNT.code}
    assert rows[0]["name_zh"] == COUNT.name[0]

    response = client.get(SERIES, {"format": "xlsx", "code": COUNT.code})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["series", "indicators", "about"]
    sheet = list(workbook["series"].iter_rows(values_only=True))
    header, body = list(sheet[0]), sheet[1:]
    found = {
        (row[header.index("region")], str(row[header.index("year")])): row[header.index("value")]
        for row in body
    }
    assert found == expected
    about = dict(workbook["about"].iter_rows(values_only=True))
    assert about["schema_version"] == SCHEMA_VERSION

    one = client.get(f"{SERIES}/{COUNT.code}", {"format": "csv"})
    assert {(row["region"], row["year"]) for row in _csv(one)} == set(expected)


def test_filters_by_region_and_year(published, client):
    assert set(_values(client, region="430211")) == {("430211", 2021)}
    assert set(_values(client, year=2020)) == {("430200", 2020)}
    assert client.get(SERIES, {"region": "999999"}).status_code == 404
    assert client.get(SERIES, {"year": 1800}).status_code == 422
    assert client.get(SERIES, {"format": "pdf"}).status_code == 422


def test_unpublished_and_staff_only_figures_never_appear(published, client):
    hetang = Region.objects.get(code="430202")
    reports.take_snapshot(published.p.officer, hetang, 2021)  # computed, never published
    codes = {series["code"] for series in client.get(SERIES).json()["series"]}
    assert COUNT.code in codes
    assert STAFF_ONLY.code not in codes
    assert client.get(f"{SERIES}/{STAFF_ONLY.code}").status_code == 404
    # Not even staff see a staff-only indicator or an unpublished snapshot in the open data.
    officer = published.p.client("officer")
    assert STAFF_ONLY.code not in officer.get(SERIES).content.decode()
    for client_ in (client, officer):
        assert ("430202", 2021) not in _values(client_)
        body = client_.get("/api/v1/catalog").content.decode()
        assert STAFF_ONLY.code not in body
        assert '"430202"' not in body
        listed = client_.get("/api/v1/open/datasets").json()["datasets"][0]["available"]
        assert "430202" not in {entry["region"] for entry in listed}
        dataset = client_.get("/api/v1/open/datasets/honours", {"region": "430202", "year": 2021})
        assert dataset.status_code == 404
    assert client.get("/api/v1/open/datasets/honours", {"year": 2019}).status_code == 404


def test_the_catalogue_is_dcat_json_ld_with_a_distribution_per_format(published, client):
    response = client.get("/api/v1/catalog")
    assert response["Content-Type"] == "application/ld+json"
    catalog = response.json()
    assert catalog["@type"] == "dcat:Catalog"
    context = catalog["@context"]
    assert context["dcat"] == "http://www.w3.org/ns/dcat#"
    assert context["dct"] == "http://purl.org/dc/terms/"
    by_id = {entry["dct:identifier"]: entry for entry in catalog["dcat:dataset"]}
    series = by_id[COUNT.code]
    assert series["@type"] == "dcat:Dataset"
    assert series["dct:license"]["@id"].startswith("https://creativecommons.org/")
    assert series["dct:publisher"]["foaf:name"][0]["@value"].startswith("株洲市")
    assert series["dct:temporal"]["dcat:startDate"]["@value"] == "2020-01-01"
    assert series["dct:temporal"]["dcat:endDate"]["@value"] == "2021-12-31"
    assert {place["dct:identifier"] for place in series["dct:spatial"]} == {"430200", "430211"}
    assert series["dct:modified"]["@type"] == "xsd:dateTime"
    formats = {d["dcat:mediaType"]: d for d in series["dcat:distribution"]}
    assert set(formats) == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for distribution in series["dcat:distribution"]:
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dct:license"]["@id"] == series["dct:license"]["@id"]
        url = distribution["dcat:downloadURL"]["@id"]
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
    honours = by_id["honours"]
    urls = [d["dcat:downloadURL"]["@id"] for d in honours["dcat:distribution"]]
    assert len(urls) == 3  # city 2020, city 2021, 天元区 2021
    for url in urls:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")

    # Every term is a prefix the context declares (a JSON-LD processor can expand it).
    def terms(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from terms(value)
        elif isinstance(node, list):
            for value in node:
                yield from terms(value)

    prefixes = {term.split(":")[0] for term in terms(catalog) if not term.startswith("@")}
    assert prefixes <= set(context)


def test_every_operation_and_its_formats_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/open/series",
        "/api/v1/open/series/{code}",
        "/api/v1/open/datasets",
        "/api/v1/open/datasets/{code}",
        "/api/v1/catalog",
    ):
        assert "get" in paths[path], path
        assert paths[path]["get"]["security"] == [{}, {"ApiAuth": []}]  # public
    content = paths["/api/v1/open/series"]["get"]["responses"]["200"]["content"]
    assert set(content) == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    series_schema = schema["components"]["schemas"]["SeriesDocument"]
    assert "schema_version" in series_schema["required"]
    formats = {p["name"]: p for p in paths["/api/v1/open/series"]["get"]["parameters"]}
    assert "format" in formats
    catalog = paths["/api/v1/catalog"]["get"]["responses"]["200"]["content"]
    assert "application/ld+json" in catalog
    dataset = paths["/api/v1/open/datasets/{code}"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in dataset


# --- Personal data -------------------------------------------------------------------------------

OPERATOR = "隐私摊主欧阳锋"
OPERATOR_ID = "430203198812125678"
TESTER = "隐私检测员黄药师"
SUPPLIER = "隐私供货人洪七公"
PERSON = "隐私个人周伯通"
PERSON_PHONE = "13900001111"
WINNER = "隐私获奖个人郭靖"
ORG_PHONE = "13911112222"
PERSONAL = (OPERATOR, OPERATOR_ID, TESTER, SUPPLIER, PERSON, PERSON_PHONE, WINNER, ORG_PHONE)


@pytest.fixture
def personal_records(personas):
    """Records that carry distinctive personal values, in 2021: a rapid test at a stall with
    a named operator and a named tester, an honour held by a person, an award won by an
    individual, an enterprise with a mobile number; then the city's 2021 figures, published."""
    MarketProfile.objects.create(organization=personas.market, test_room_since="2017-01-01")
    stall = Stall.objects.create(
        market=personas.market,
        booth_number="Z99",
        operator_name=OPERATOR,
        operator_code=OPERATOR_ID,
    )
    tested_at = timezone.make_aware(dt.datetime(2021, 6, 1, 9, 30))
    record, _created = rapidtest_services.record_test_result(
        personas.tester,
        {
            "market": personas.market,
            "stall": stall,
            "product": Product.objects.get(name="青菜"),
            "item": TestItem.objects.get(name="有机磷和氨基甲酸酯类农药残留"),
            "value": "12.5",
            "tested_at": tested_at,
            "tester_name": TESTER,
            "supplier": SUPPLIER,
            "origin": "湖南长沙",
        },
    )
    enterprise = make_organization("开放数据荣誉企业", personas.tianyuan, contact_phone=ORG_PHONE)
    person = Person.objects.create(name=PERSON, phone=PERSON_PHONE, organization=enterprise)
    registry_services.create_honour(
        personas.officer,
        {
            "kind": HonourKind.WELL_KNOWN_TRADEMARK,
            "year": 2020,
            "holder_kind": HolderKind.PERSON,
            "holder_name": PERSON,
            "person": person,
            "organization": enterprise,
            "city": personas.city,
        },
    )
    registry_services.create_honour(
        personas.officer,
        {
            "kind": HonourKind.WELL_KNOWN_TRADEMARK,
            "year": 2020,
            "holder_kind": HolderKind.ORGANIZATION,
            "holder_name": enterprise.name,
            "organization": enterprise,
            "city": personas.city,
        },
    )
    programme = AwardProgramme.objects.create(
        code="zhuzhou-mayor-quality-award",
        name="株洲市市长质量奖",
        level=AwardLevel.CITY,
        region=personas.city,
        rank=1,
    )
    edition = AwardEdition.objects.create(
        programme=programme,
        number=9,
        year=2021,
        is_historic=True,
        announced_on=dt.date(2021, 5, 1),
        award_quota=5,
        nomination_quota=5,
    )
    for category, name, holder in (
        (AwardCategory.INDIVIDUAL, WINNER, Person.objects.create(name=WINNER)),
        (AwardCategory.ORGANIZATION, enterprise.name, None),
    ):
        award_services.record_historic_result(
            personas.officer,
            edition,
            category=category,
            outcome=Outcome.AWARD,
            name_as_awarded=name,
            organization=enterprise,
            person=holder,
            city=personas.city,
        )
    publish(personas.officer, personas.city, 2021)
    return enterprise, record


def _texts(response):
    """Everything a response says: a CSV or JSON body, or every XML part of an XLSX file."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "".join(archive.read(name).decode() for name in archive.namelist())
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_no_open_data_response_holds_a_personal_value(personal_records, client):
    enterprise, record = personal_records
    urls = [
        SERIES,
        f"{SERIES}?format=csv",
        f"{SERIES}?format=xlsx",
        "/api/v1/open/datasets",
        "/api/v1/catalog",
        "/dashboard/",
        "/dashboard/?lang=en",
        "/dashboard/430211/",
    ]
    urls += [f"/api/v1/open/datasets/{dataset.code}?year=2021" for dataset in datasets.DATASETS]
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = _texts(response)
        leaked = [value for value in PERSONAL if value in seen[url]]
        assert not leaked, f"{url} holds {leaked}"
    # The records are there (the scan looked at something): the rapid test, the honours (the
    # two recorded and the two the award results made) and both award results, persons' and
    # individuals' without a name.
    rapid = _csv_rows(seen["/api/v1/open/datasets/rapidtest-results?year=2021"])
    assert [row["id"] for row in rapid] == [str(record.pk)]
    assert rapid[0]["market"] == record.market.name
    honours = _csv_rows(seen["/api/v1/open/datasets/honours?year=2021"])
    assert sorted((row["holder_kind"], row["holder"]) for row in honours) == [
        ("organization", enterprise.name),
        ("organization", enterprise.name),
        ("person", ""),
        ("person", ""),
    ]
    awards = _csv_rows(seen["/api/v1/open/datasets/award-results?year=2021"])
    assert sorted((row["category"], row["winner"]) for row in awards) == [
        ("individual", ""),
        ("organization", enterprise.name),
    ]


def _csv_rows(text):
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_each_dataset_exports_its_allow_list_only(personal_records, client):
    listed = {
        entry["code"]: entry for entry in client.get("/api/v1/open/datasets").json()["datasets"]
    }
    assert set(listed) == {dataset.code for dataset in datasets.DATASETS}
    for dataset in datasets.DATASETS:
        response = client.get(f"/api/v1/open/datasets/{dataset.code}", {"year": 2021})
        assert response.streaming
        assert response["Content-Type"].startswith("text/csv")
        header = next(csv.reader(io.StringIO(_texts(response).removeprefix("\ufeff"))))
        assert header == dataset.headers == [c["name"] for c in listed[dataset.code]["columns"]]
        assert not {"operator_name", "tester_name", "supplier", "phone", "person"} & set(header)
    assert client.get("/api/v1/open/datasets/unknown").status_code == 404
