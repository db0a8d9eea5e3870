"""Records of environmental quality (环境质量): air monitoring stations and their hourly data,
water sections and samples, tap water and sewage-treatment effluent.

Editable records (stations, sections, samples) keep a full history (django-simple-history). The
bulk table :class:`AirHour` (one row per station-hour) does not: each import is audited as one
:class:`AirImport` (who, when, file, rows, SHA-256, hours replaced), and every hour a later
import replaced is kept, with its values before the change, as an :class:`AirHourRevision`.
:class:`CityAirDay` holds the engine's daily results of a city (refreshed from the hours by
every import) so that a figure's drill-down can list its days; figures themselves are computed
from the hours (docs/environment.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Region
from zhizao.core.validators import validate_plain_text
from zhizao.environment.choices import (
    WATER_CLASS_CHOICES,
    HourFlag,
    ImportSource,
    SectionKind,
    StationLevel,
    TapKind,
)

POLLUTANTS = ("so2", "no2", "pm10", "pm2_5", "co", "o3")
"""The engine's pollutant keys (µg/m³; CO mg/m³), in the national platform's order."""


class Station(models.Model):
    """An ambient-air monitoring station (环境空气质量监测点位)."""

    code = models.CharField(_("station code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=StationLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="air_stations"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("air monitoring station")
        verbose_name_plural = _("air monitoring stations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AirImport(models.Model):
    """One import of hourly air data: the audit record of its rows."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    replaced = models.PositiveIntegerField(_("hours replaced"), default=0)
    hour_label = models.CharField(_("hour label"), max_length=8, default="end")
    source = models.CharField(_("source"), max_length=16, choices=ImportSource.choices)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("air data import")
        verbose_name_plural = _("air data imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class AirHour(models.Model):
    """One station-hour: the six pollutants' hourly means and the platform's flag.

    ``day`` and ``hour`` are the station's local date and the hour the mean *starts* at
    (0–23); the national platform labels the same hour by its end (``01:00`` = 00:00–01:00),
    which the importer converts. A value is used only when the flag is valid."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="hours"
    )
    day = models.DateField(_("date"))
    hour = models.PositiveSmallIntegerField(_("hour (start)"))
    so2 = models.FloatField("SO2", null=True, blank=True)
    no2 = models.FloatField("NO2", null=True, blank=True)
    pm10 = models.FloatField("PM10", null=True, blank=True)
    pm2_5 = models.FloatField("PM2.5", null=True, blank=True)
    co = models.FloatField("CO", null=True, blank=True)
    o3 = models.FloatField("O3", null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=1, choices=HourFlag.choices)
    import_batch = models.ForeignKey(
        AirImport, verbose_name=_("import"), on_delete=models.PROTECT, related_name="+"
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        verbose_name = _("station-hour")
        verbose_name_plural = _("station-hours")
        ordering = ["station", "day", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day", "hour"], name="env_hour_unique")
        ]
        indexes = [models.Index(fields=["day"], name="env_hour_day")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day} {self.hour:02d}:00"

    @property
    def label(self) -> str:
        """The hour as the national platform labels it (by its end, 01:00 … 24:00)."""
        return f"{self.day.isoformat()} {self.hour + 1:02d}:00"


class AirHourRevision(models.Model):
    """An hour replaced by a later import: its values before the change."""

    replaced_by = models.ForeignKey(
        AirImport, verbose_name=_("replaced by"), on_delete=models.CASCADE, related_name="+"
    )
    previous_import = models.ForeignKey(
        AirImport,
        verbose_name=_("previous import"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("date"))
    hour = models.PositiveSmallIntegerField(_("hour (start)"))
    so2 = models.FloatField(null=True)
    no2 = models.FloatField(null=True)
    pm10 = models.FloatField(null=True)
    pm2_5 = models.FloatField(null=True)
    co = models.FloatField(null=True)
    o3 = models.FloatField(null=True)
    flag = models.CharField(max_length=1, choices=HourFlag.choices)

    class Meta:
        verbose_name = _("replaced station-hour")
        verbose_name_plural = _("replaced station-hours")

    def __str__(self) -> str:
        return f"{self.station_id} {self.day} {self.hour:02d}:00 (replaced)"


class StationAirDay(models.Model):
    """The engine's daily values of one station (``air_eval.station_daily_values``: 24 h means
    with ≥ 20 valid hours, O3 MDA8 and daily maximum 1 h), refreshed by every import for the
    days it touches: the stacked (stations × days) arrays the annual evaluations read."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="air_days")
    day = models.DateField(_("date"))
    so2 = models.FloatField(null=True)
    no2 = models.FloatField(null=True)
    pm10 = models.FloatField(null=True)
    pm2_5 = models.FloatField(null=True)
    co = models.FloatField(null=True)
    o3_8h = models.FloatField(null=True)
    o3_1h = models.FloatField(null=True)
    valid_hours = models.PositiveSmallIntegerField(_("valid hours"), default=0)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        verbose_name = _("station air-quality day")
        verbose_name_plural = _("station air-quality days")
        ordering = ["station", "day"]
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="env_station_day")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day}"


class CityAirDay(models.Model):
    """The engine's daily result of a city (HJ 663 city value, HJ 633 daily AQI), refreshed
    from the hours by every import: the days a figure's drill-down lists."""

    city = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="air_days")
    day = models.DateField(_("date"))
    valid = models.BooleanField(_("valid AQI"))
    aqi = models.PositiveSmallIntegerField("AQI", null=True)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    primary = models.CharField(_("primary pollutant"), max_length=60, blank=True)
    edition = models.CharField(_("edition"), max_length=8)
    so2 = models.FloatField(null=True)
    no2 = models.FloatField(null=True)
    pm10 = models.FloatField(null=True)
    pm2_5 = models.FloatField(null=True)
    co = models.FloatField(null=True)
    o3_8h = models.FloatField(null=True)
    o3_1h = models.FloatField(null=True)
    stations = models.PositiveSmallIntegerField(_("stations with data"), default=0)
    missing = models.CharField(_("missing daily values"), max_length=60, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        verbose_name = _("city air-quality day")
        verbose_name_plural = _("city air-quality days")
        ordering = ["city", "day"]
        constraints = [models.UniqueConstraint(fields=["city", "day"], name="env_city_day")]

    def __str__(self) -> str:
        return f"{self.city_id} {self.day} AQI {self.aqi}"

    @property
    def good(self) -> bool:
        return self.valid and self.aqi is not None and self.aqi <= 100


# --- Water ------------------------------------------------------------------------------------


class WaterSection(models.Model):
    """A surface-water monitoring section (断面) or a drinking-water source (水源地)."""

    code = models.CharField(_("section code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    water_body = models.CharField(_("water body"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices)
    is_lake = models.BooleanField(
        _("lake or reservoir"), default=False, help_text=_("GB 3838 lake/reservoir columns apply.")
    )
    target_class = models.PositiveSmallIntegerField(
        _("target class"), choices=WATER_CLASS_CHOICES[:5]
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="water_sections"
    )
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("water section")
        verbose_name_plural = _("water sections")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class WaterSample(models.Model):
    """A sample of a section: GB 3838-2002 basic items (and, at a drinking-water source, the
    Table 2 supplementary items); the class is the engine's."""

    section = models.ForeignKey(
        WaterSection, verbose_name=_("section"), on_delete=models.PROTECT, related_name="samples"
    )
    sampled_on = models.DateField(_("sampled on"))
    values = models.JSONField(_("values"), help_text=_("item key → value as a decimal string"))
    water_class = models.PositiveSmallIntegerField(_("class"), choices=WATER_CLASS_CHOICES)
    determined_by = models.JSONField(_("determined by"), default=list, blank=True)
    exceeding = models.JSONField(_("exceeding items"), default=dict, blank=True)
    supplementary_pass = models.BooleanField(_("supplementary items pass"), null=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("water sample")
        verbose_name_plural = _("water samples")
        ordering = ["section", "sampled_on"]
        constraints = [
            models.UniqueConstraint(fields=["section", "sampled_on"], name="env_water_sample")
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.sampled_on}"

    @property
    def class_label(self) -> str:
        return (
            "劣V" if self.water_class == 6 else ["I", "II", "III", "IV", "V"][self.water_class - 1]
        )

    @property
    def meets_target(self) -> bool:
        return self.water_class <= self.section.target_class


class TapWaterSample(models.Model):
    """A tap-water sample (出厂水 at a plant, 管网水 at a network point) against GB 5749-2022."""

    site = models.CharField(_("plant or sampling point"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=TapKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="tap_samples"
    )
    sampled_on = models.DateField(_("sampled on"))
    values = models.JSONField(_("values"))
    passes = models.BooleanField(_("passes"))
    failing = models.JSONField(_("failing items"), default=list, blank=True)
    items_judged = models.PositiveSmallIntegerField(_("items judged"))
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tap-water sample")
        verbose_name_plural = _("tap-water samples")
        ordering = ["sampled_on", "site"]

    def __str__(self) -> str:
        return f"{self.site} {self.sampled_on}"


class EffluentSample(models.Model):
    """A sewage-treatment plant's effluent sample against GB 18918-2002 class 1-A."""

    plant = models.CharField(_("sewage treatment plant"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="effluent"
    )
    sampled_on = models.DateField(_("sampled on"))
    values = models.JSONField(_("values"))
    passes = models.BooleanField(_("complies"))
    failing = models.JSONField(_("failing items"), default=list, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effluent sample")
        verbose_name_plural = _("effluent samples")
        ordering = ["sampled_on", "plant"]

    def __str__(self) -> str:
        return f"{self.plant} {self.sampled_on}"
