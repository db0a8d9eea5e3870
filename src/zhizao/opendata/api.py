"""Open data, ``/api/v1/open/`` and ``/api/v1/catalog`` (docs/opendata.md): the published
indicator series as JSON, CSV and XLSX, the record datasets as streamed CSV, and a DCAT
catalogue in JSON-LD. Public, read-only; published snapshots only."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from zhizao.core.api_auth import public_auth
from zhizao.core.exports import safe_row
from zhizao.opendata import catalog, datasets, filters, services
from zhizao.opendata.choices import JSON_LD, LICENSE_URL, MEDIA_TYPES, SCHEMA_VERSION, Format

Response = TypeVar("Response", HttpResponse, StreamingHttpResponse)
router = Router(tags=["open data"])
catalog_router = Router(tags=["open data"])


class ValueOut(Schema):
    region: str = Field(description="GB/T 2260 code of the region")
    region_name: str
    region_name_en: str
    year: int
    value: float | int | None = Field(description="in the unit; None with a reason")
    unit: str
    records: int = Field(description="records the published figure was computed from")
    synthetic: bool = Field(description="computed from generated demo records")
    reason_zh: str | None
    reason_en: str | None
    computed_at: datetime
    published_at: datetime
    snapshot: int = Field(description="the published snapshot's id")


class SeriesOut(Schema):
    code: str
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str
    unit: str
    standard: str
    direction: str
    period: str
    values: list[ValueOut]


class SeriesDocument(Schema):
    schema_version: str = Field(description="version of this document's layout (docs/opendata.md)")
    generated_at: datetime
    license: str
    series: list[SeriesOut]


class ColumnOut(Schema):
    name: str
    meaning_zh: str
    meaning_en: str


class AvailableOut(Schema):
    region: str
    region_name: str
    years: list[int]
    urls: list[str] = Field(description="the CSV of each year")


class DatasetOut(Schema):
    code: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    sources: list[str] = Field(description="the indicators whose records the dataset holds")
    columns: list[ColumnOut]
    available: list[AvailableOut]


class DatasetList(Schema):
    schema_version: str
    license: str
    datasets: list[DatasetOut]


SERIES_COLUMNS = [
    "schema_version",
    "code",
    "name_zh",
    "name_en",
    "region",
    "region_name",
    "year",
    "value",
    "unit",
    "records",
    "synthetic",
    "computed_at",
    "published_at",
    "snapshot",
]
INDICATOR_COLUMNS = ["code", "name_zh", "name_en", "definition_zh", "definition_en", "unit"]
INDICATOR_COLUMNS += ["standard", "direction", "period"]

FILE_RESPONSES = {
    200: {
        "description": "The series as JSON (default), CSV (`?format=csv`) or XLSX "
        "(`?format=xlsx`).",
        "content": {
            MEDIA_TYPES[Format.JSON]: {"schema": {"$ref": "#/components/schemas/SeriesDocument"}},
            MEDIA_TYPES[Format.CSV]: {"schema": {"type": "string"}},
            MEDIA_TYPES[Format.XLSX]: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _region(code: str) -> Any:
    region = filters.region_of(code)
    if region is None:
        raise HttpError(404, _("Unknown region %(region)s.") % {"region": code})
    return region


def _year(year: int | None) -> None:
    if not filters.valid_year(year):
        raise HttpError(422, _("The year must be between 1901 and 2999."))


def _value_json(value: services.PublishedValue) -> dict[str, Any]:
    return {
        "region": value.region.code,
        "region_name": value.region.name,
        "region_name_en": value.region.name_en,
        "year": value.year,
        "value": value.number,
        "unit": value.unit,
        "records": value.records,
        "synthetic": value.synthetic,
        "reason_zh": value.reason_zh or None,
        "reason_en": value.reason_en or None,
        "computed_at": timezone.localtime(value.computed_at),
        "published_at": timezone.localtime(value.published_at),
        "snapshot": value.snapshot_id,
    }


def _indicator_row(indicator: Any) -> list[str]:
    return [
        indicator.code,
        *indicator.name,
        *indicator.definition,
        indicator.unit,
        indicator.standard,
        str(indicator.direction),
        str(indicator.period),
    ]


def _series_json(series: list[services.Series]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now(),
        "license": LICENSE_URL,
        "series": [
            dict(
                zip(INDICATOR_COLUMNS, _indicator_row(one.indicator), strict=True),
                values=[_value_json(value) for value in one.values],
            )
            for one in series
        ],
    }


def _series_rows(series: list[services.Series]) -> Iterator[list[Any]]:
    for one in series:
        for value in one.values:
            yield [
                SCHEMA_VERSION,
                one.code,
                *one.indicator.name,
                value.region.code,
                value.region.name,
                value.year,
                value.number,
                value.unit,
                value.records,
                datasets.cell(value.synthetic),
                datasets.cell(value.computed_at),
                datasets.cell(value.published_at),
                value.snapshot_id,
            ]


def _attachment(response: Response, name: str) -> Response:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_text(header: list[str], rows: Iterator[list[Any]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(safe_row(row) for row in rows)
    # With a byte-order mark: Excel on Chinese Windows reads a CSV without one as GBK.
    return "\ufeff" + text.getvalue()


def _series_workbook(series: list[services.Series]) -> bytes:
    """Three sheets: the values (the CSV's columns), the indicators, and what the file is."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    values = workbook.create_sheet("series")
    values.append(SERIES_COLUMNS)
    for row in _series_rows(series):
        values.append(safe_row(row, xlsx=True))
    indicators = workbook.create_sheet("indicators")
    indicators.append(INDICATOR_COLUMNS)
    for one in series:
        indicators.append(safe_row(_indicator_row(one.indicator), xlsx=True))
    about = workbook.create_sheet("about")
    about.append(["schema_version", SCHEMA_VERSION])
    about.append(["license", LICENSE_URL])
    about.append(["generated_at", timezone.localtime().isoformat()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _series_response(series: list[services.Series], format: Format, name: str) -> Any:
    if format == Format.CSV:
        body = _csv_text(SERIES_COLUMNS, _series_rows(series))
        response = HttpResponse(body, content_type=f"{MEDIA_TYPES[Format.CSV]}; charset=utf-8")
        return _attachment(response, f"{name}.csv")
    if format == Format.XLSX:
        response = HttpResponse(_series_workbook(series), content_type=MEDIA_TYPES[Format.XLSX])
        return _attachment(response, f"{name}.xlsx")
    return _series_json(series)


@router.get(
    "/series",
    response=SeriesDocument,
    auth=public_auth,
    url_name="series",
    openapi_extra={"responses": FILE_RESPONSES},
)
def series_list(
    request: HttpRequest,
    format: Format = Format.JSON,
    code: str = "",
    region: str = "",
    year: int | None = None,
) -> Any:
    """Every published indicator series (codes starting with ``code``), its values by region
    and year from the latest publication of each (of ``region``, a GB/T 2260 code, and
    ``year`` only, if given). Indicators without a published value are listed with none."""
    _year(year)
    chosen = _region(region) if region else None
    found = services.published_series(prefix=code, region=chosen, year=year)
    return _series_response(found, format, "zhizao-series")


@router.get(
    "/series/{code}",
    response=SeriesDocument,
    auth=public_auth,
    url_name="series_detail",
    openapi_extra={"responses": FILE_RESPONSES},
)
def series_detail(request: HttpRequest, code: str, format: Format = Format.JSON) -> Any:
    """One published indicator's series (404: no such published indicator)."""
    found = [one for one in services.published_series(prefix=code) if one.code == code]
    if not found:
        raise HttpError(404, _("Unknown indicator."))
    return _series_response(found, format, f"zhizao-{code}")


@router.get("/datasets", response=DatasetList, auth=public_auth, url_name="datasets")
def dataset_list(request: HttpRequest) -> dict[str, Any]:
    """The record datasets, their columns (the allow-list: nothing else is ever exported) and
    the regions and years each can be downloaded for (those with a publication)."""
    available = services.published_region_years()
    return {
        "schema_version": SCHEMA_VERSION,
        "license": LICENSE_URL,
        "datasets": [
            {
                "code": dataset.code,
                "title_zh": dataset.title[0],
                "title_en": dataset.title[1],
                "description_zh": dataset.description[0],
                "description_en": dataset.description[1],
                "sources": [indicator.code for indicator in dataset.indicators()],
                "columns": [
                    {"name": col.name, "meaning_zh": col.meaning[0], "meaning_en": col.meaning[1]}
                    for col in dataset.columns
                ],
                "available": [
                    {
                        "region": region.code,
                        "region_name": region.name,
                        "years": years,
                        "urls": [
                            catalog.dataset_url(request, dataset.code, region, y) for y in years
                        ],
                    }
                    for region, years in available.values()
                ],
            }
            for dataset in datasets.DATASETS
        ],
    }


@router.get(
    "/datasets/{code}",
    auth=public_auth,
    url_name="dataset",
    openapi_extra={
        "responses": {
            200: {
                "description": "The dataset's records as CSV (UTF-8 with a byte-order mark), "
                "streamed; the columns are listed by `/api/v1/open/datasets`.",
                "content": {MEDIA_TYPES[Format.CSV]: {"schema": {"type": "string"}}},
            }
        }
    },
)
def dataset_download(
    request: HttpRequest, code: str, region: str = "", year: int | None = None
) -> StreamingHttpResponse:
    """The records of one dataset for ``region`` (the city by default) and ``year`` (its latest
    published year by default), streamed as CSV. A year the region has not published: 404."""
    dataset = datasets.get(code)
    if dataset is None or not dataset.indicators():
        raise HttpError(404, _("Unknown dataset."))
    _year(year)
    chosen = _region(region)
    years = services.published_years(chosen)
    if year is None and years:
        year = years[-1]
    if year is None or year not in years:
        raise HttpError(404, _("Nothing was published for that region and year."))
    records = dataset.records(chosen, year)

    def stream() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(dataset.headers)
        yield "\ufeff" + buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        for count, record in enumerate(records.iterator(chunk_size=2000), start=1):
            writer.writerow(safe_row(dataset.row(record)))
            if count % 1000 == 0:  # about 100 kB a piece
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(
        stream(), content_type=f"{MEDIA_TYPES[Format.CSV]}; charset=utf-8"
    )
    return _attachment(response, f"zhizao-{code}-{chosen.code}-{year}.csv")


@catalog_router.get(
    "",
    auth=public_auth,
    url_name="catalog",
    openapi_extra={
        "responses": {
            200: {
                "description": "A DCAT catalogue (JSON-LD): one dcat:Dataset per published "
                "indicator series and per record dataset, one dcat:Distribution per format.",
                "content": {JSON_LD: {"schema": {"type": "object"}}},
            }
        }
    },
)
def catalog_document(request: HttpRequest) -> JsonResponse:
    """The open data as a DCAT catalogue in JSON-LD, harvestable by CKAN (ckanext-dcat) or a
    provincial open-data portal."""
    return JsonResponse(
        catalog.document(request),
        content_type=JSON_LD,
        json_dumps_params={"ensure_ascii": False},
    )
