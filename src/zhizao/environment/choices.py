from django.db import models
from django.utils.translation import gettext_lazy as _


class StationLevel(models.TextChoices):
    NATIONAL = "national", _("national control station")
    PROVINCIAL = "provincial", _("provincial control station")


class HourFlag(models.TextChoices):
    """The data flag the national platform publishes with an hour (only valid hours count)."""

    VALID = "V", _("valid")
    INVALID = "I", _("invalid")
    MAINTENANCE = "M", _("maintenance")
    MISSING = "N", _("missing")


class ImportSource(models.TextChoices):
    UPLOAD = "upload", _("uploaded file")
    DEMO = "demo", _("demo generator")


class SectionKind(models.TextChoices):
    RIVER = "river", _("river")
    LAKE = "lake", _("lake or reservoir")
    DRINKING_SOURCE = "drinking_source", _("drinking-water source")


class TapKind(models.TextChoices):
    TREATED = "treated", _("treated water (出厂水)")
    NETWORK = "network", _("network water (管网水)")


WATER_CLASS_CHOICES = [
    (1, "I"),
    (2, "II"),
    (3, "III"),
    (4, "IV"),
    (5, "V"),
    (6, _("worse than V (劣V)")),
]


class HourLabel(models.TextChoices):
    """How an import file labels an hour: by its end (the national platform) or its start."""

    END = "end", _("by its end (01:00 … 24:00, the national platform)")
    START = "start", _("by its start (00:00 … 23:00)")
