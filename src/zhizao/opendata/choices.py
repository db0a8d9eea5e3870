"""Constants of the open data: the schema version, the formats, the licence."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The version of the open-data documents (series JSON/CSV/XLSX, dataset CSV columns, the
# catalogue). A change that removes or renames a field or column raises the major number; an
# added field raises the minor one (docs/opendata.md, "Schema version").
SCHEMA_VERSION = "1.0"


class Format(models.TextChoices):
    JSON = "json", "JSON"
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


MEDIA_TYPES = {
    Format.JSON: "application/json",
    Format.CSV: "text/csv",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
JSON_LD = "application/ld+json"

# What a reader may do with the published data: the licence every distribution names.
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"

# The publisher of the open data: the city's bureau, named after the city.
PUBLISHER_SUFFIX = ("市场监督管理局", " Administration for Market Regulation")


class Kind(models.TextChoices):
    SERIES = "series", _("indicator series")
    RECORDS = "records", _("records")
