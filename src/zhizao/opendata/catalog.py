"""The DCAT catalogue of the open data, in JSON-LD (``/api/v1/catalog``).

One ``dcat:Catalog`` with one ``dcat:Dataset`` per published indicator series (a series with
at least one published value) and per record dataset, each with its ``dcat:Distribution``s
(JSON, CSV and XLSX for a series; one CSV per published region and year for a record
dataset), licence, publisher, temporal and spatial coverage and the time it was last
published. The terms are those ckanext-dcat's RDF/JSON-LD harvester reads (DCAT-AP 2): a
city's CKAN or a provincial portal harvests the URL as it is.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from zhizao.core.models import Region
from zhizao.opendata import datasets, services
from zhizao.opendata.choices import (
    LICENSE_URL,
    MEDIA_TYPES,
    PUBLISHER_SUFFIX,
    SCHEMA_VERSION,
    Format,
)

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
FORMAT_IRI = "http://publications.europa.eu/resource/authority/file-type/"


def _texts(zh: str, en: str) -> list[dict[str, str]]:
    return [{"@value": zh, "@language": "zh-Hans"}, {"@value": en, "@language": "en"}]


def _date(year: int, month: int, day: int) -> dict[str, str]:
    return {"@value": f"{year:04d}-{month:02d}-{day:02d}", "@type": "xsd:date"}


def _time(value: Any) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _temporal(years: list[int]) -> dict[str, Any]:
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _date(min(years), 1, 1),
        "dcat:endDate": _date(max(years), 12, 31),
    }


def _spatial(regions: list[Region]) -> list[dict[str, Any]]:
    return [
        {
            "@type": "dct:Location",
            "dct:identifier": region.code,
            "skos:prefLabel": _texts(region.name, region.name_en or region.name),
        }
        for region in regions
    ]


def _publisher() -> dict[str, Any]:
    city = Region.objects.city()
    zh = f"{city.name}{PUBLISHER_SUFFIX[0]}" if city else PUBLISHER_SUFFIX[0]
    en = f"{city.name_en or city.name}{PUBLISHER_SUFFIX[1]}" if city else PUBLISHER_SUFFIX[1]
    return {"@type": "foaf:Agent", "foaf:name": _texts(zh, en.strip())}


def _distribution(url: str, format: str, title: str) -> dict[str, Any]:
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": FORMAT_IRI + format.upper()},
        "dcat:mediaType": MEDIA_TYPES[Format(format)],
        "dct:license": {"@id": LICENSE_URL},
    }


def dataset_url(request: HttpRequest, code: str, region: Region, year: int) -> str:
    """The absolute URL of one record dataset's CSV for a region and year."""
    path = reverse("api:dataset", kwargs={"code": code})
    return request.build_absolute_uri(f"{path}?region={region.code}&year={year}")


def _series_datasets(request: HttpRequest, publisher: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for series in services.published_series():
        if not series.values:
            continue
        indicator = series.indicator
        url = request.build_absolute_uri(reverse("api:series_detail", args=[indicator.code]))
        regions = {value.region.pk: value.region for value in series.values}
        found.append(
            {
                "@id": url,
                "@type": "dcat:Dataset",
                "dct:identifier": indicator.code,
                "dct:title": _texts(*indicator.name),
                "dct:description": _texts(*indicator.definition),
                "dcat:keyword": [indicator.app, indicator.unit],
                "dct:publisher": publisher,
                "dct:license": {"@id": LICENSE_URL},
                "dct:modified": _time(max(value.published_at for value in series.values)),
                "dct:temporal": _temporal([value.year for value in series.values]),
                "dct:spatial": _spatial(list(regions.values())),
                "dct:conformsTo": {"@id": request.build_absolute_uri("/api/v1/openapi.json")},
                "owl:versionInfo": SCHEMA_VERSION,
                "dcat:distribution": [
                    _distribution(f"{url}?format={kind}", kind, f"{indicator.code}.{kind}")
                    for kind in Format.values
                ],
            }
        )
    return found


def _record_datasets(request: HttpRequest, publisher: dict[str, Any]) -> list[dict[str, Any]]:
    available = services.published_region_years()
    modified = services.last_published_at()
    found = []
    for dataset in datasets.DATASETS:
        if not dataset.indicators() or not available or modified is None:
            continue
        url = request.build_absolute_uri(reverse("api:dataset", args=[dataset.code]))
        every_year = sorted({year for _region, years in available.values() for year in years})
        found.append(
            {
                "@id": url,
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.code,
                "dct:title": _texts(*dataset.title),
                "dct:description": _texts(*dataset.description),
                "dcat:keyword": [
                    "records",
                    *sorted({code.split(".")[0] for code in dataset.sources}),
                ],
                "dct:publisher": publisher,
                "dct:license": {"@id": LICENSE_URL},
                "dct:modified": _time(modified),
                "dct:temporal": _temporal(every_year),
                "dct:spatial": _spatial([region for region, _years in available.values()]),
                "owl:versionInfo": SCHEMA_VERSION,
                "dcat:distribution": [
                    _distribution(
                        dataset_url(request, dataset.code, region, year),
                        Format.CSV,
                        f"{dataset.code}-{region.code}-{year}.csv",
                    )
                    for region, years in available.values()
                    for year in years
                ],
            }
        )
    return found


def document(request: HttpRequest) -> dict[str, Any]:
    publisher = _publisher()
    modified = services.last_published_at()
    catalog: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": request.build_absolute_uri(reverse("api:catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _texts("质造开放数据", "Zhizao open data"),
        "dct:description": _texts(
            "本市质量工作已发布的指标与记录（仅已发布的快照，不含个人信息）。",
            "The city's published quality figures and records (published snapshots only, "
            "no personal data).",
        ),
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENSE_URL},
        "dct:language": [
            {"@id": "http://publications.europa.eu/resource/authority/language/ZHO"},
            {"@id": "http://publications.europa.eu/resource/authority/language/ENG"},
        ],
        "foaf:homepage": {"@id": request.build_absolute_uri(reverse("opendata:dashboard"))},
        "owl:versionInfo": SCHEMA_VERSION,
        "dcat:dataset": _series_datasets(request, publisher) + _record_datasets(request, publisher),
    }
    if modified is not None:
        catalog["dct:modified"] = _time(modified)
    return catalog
