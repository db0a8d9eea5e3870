"""Figures of a province or the nation computed by ``zhizao rollup --store`` from many cities'
exports (docs/rollups.md): pass rates of provinces and the nation by period and category, and
the cities' annual air evaluation with their ranking. The nation has no ``core.Region`` row:
its figures have ``region`` empty and ``region_code`` ``CN``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Region
from zhizao.rollups.choices import ALL_CATEGORIES, RollupDataset, RollupLevel, RollupMeasure


class RollupFigure(models.Model):
    """One figure of one region (or the nation), year, month (0: the year) and category."""

    level = models.CharField(_("level"), max_length=16, choices=RollupLevel.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rollup_figures",
        help_text=_("Empty for the nation, or for a region this deployment has not loaded."),
    )
    region_code = models.CharField(_("region code"), max_length=12)
    province_code = models.CharField(_("province code"), max_length=12, blank=True)
    dataset = models.CharField(_("dataset"), max_length=16, choices=RollupDataset.choices)
    measure = models.CharField(_("measure"), max_length=20, choices=RollupMeasure.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0, help_text=_("0: the year"))
    category = models.CharField(_("category"), max_length=32, default=ALL_CATEGORIES)
    passed = models.BigIntegerField(_("passed"), null=True, blank=True)
    total = models.BigIntegerField(_("total"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    low = models.FloatField(_("interval low"), null=True, blank=True)
    high = models.FloatField(_("interval high"), null=True, blank=True)
    rank_in_province = models.PositiveIntegerField(_("rank in the province"), null=True, blank=True)
    rank_in_nation = models.PositiveIntegerField(_("rank in the nation"), null=True, blank=True)
    engine = models.CharField(_("engine"), max_length=16)
    source = models.CharField(_("source"), max_length=500)
    computed_at = models.DateTimeField(_("computed"))
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rollup figure")
        verbose_name_plural = _("rollup figures")
        ordering = ["dataset", "measure", "level", "region_code", "year", "month", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "region_code", "dataset", "measure", "year", "month", "category"],
                name="rollups_figure_unique",
            )
        ]
        indexes = [
            models.Index(fields=["region", "dataset", "year"], name="rollups_figure_region"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset}.{self.measure} {self.region_code} {self.year}-{self.month:02d}"
