"""Choices of the rollups (figures of a province or the nation computed from cities' exports)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

NATION_CODE = "CN"  # the region code of the nation in the rollup tables (no core.Region row)
ALL_CATEGORIES = "*"


class RollupLevel(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    STATION = "station", _("Station")


class RollupDataset(models.TextChoices):
    RAPIDTEST = "rapidtest", _("Rapid tests (batches)")
    SAMPLING = "sampling", _("Supervision sampling (batches)")
    AIR = "air", _("Air quality (annual evaluation)")


class RollupMeasure(models.TextChoices):
    PASS_RATE = "pass_rate", _("Pass rate")
    COMPOSITE_INDEX = "composite_index", _("Composite index")
    GOOD_DAYS = "good_days", _("Good days")
