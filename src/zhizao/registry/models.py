"""The honours registry (株洲方阵): the city's quality honours, each with its kind, level, year,
holder and evidence. Government quality award honours are pushed in by the app that runs the
awards (``services.record_award_honour``); the registry itself depends on no other domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhizao.core.models import Organization, Person, Region
from zhizao.core.permissions import AnyUser, staff_regions
from zhizao.core.validators import validate_plain_text
from zhizao.registry.choices import AWARD_KINDS, HolderKind, HonourKind, HonourLevel


class HonourQuerySet(models.QuerySet["Honour"]):
    def standing(self) -> HonourQuerySet:
        return self.filter(revoked_at__isnull=True)

    def editable_by(self, user: AnyUser) -> HonourQuerySet:
        """Honours of the cities where ``user`` is bureau staff. (An award's honour among them
        still changes only with its award result: the services refuse it with the reason.)"""
        return self.filter(city__in=staff_regions(user))


class Honour(models.Model):
    """One honour held by an organization, a person, a project or a product."""

    kind = models.CharField(_("honour"), max_length=40, choices=HonourKind.choices, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    holder_kind = models.CharField(_("holder type"), max_length=16, choices=HolderKind.choices)
    holder_name = models.CharField(
        _("holder"),
        max_length=200,
        validators=[validate_plain_text],
        help_text=_("Name as recorded on the honour (organization, person, project or product)."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
        help_text=_("The holder, or the organization behind a person, project or product."),
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="honours"
    )
    city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="honours")
    evidence = models.CharField(
        _("evidence"),
        max_length=300,
        blank=True,
        help_text=_("Certificate number, announcement or source."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = HonourQuerySet.as_manager()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["kind", "-year", "holder_name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.holder_name}"

    @property
    def is_award(self) -> bool:
        """A government quality award's honour: recorded from the published result, never by
        hand, and withdrawn only by revoking the award."""
        return self.kind in AWARD_KINDS
