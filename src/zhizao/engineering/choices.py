"""Choices of engineering quality: project types and the honours a project can win."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhizao.registry.choices import HonourKind


class ProjectKind(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction (房屋建筑和市政工程)")
    WATER_CONSERVANCY = "water_conservancy", _("Water conservancy (水利工程)")
    TRANSPORT = "transport", _("Transport (交通工程)")


class Grouping(models.TextChoices):
    KIND = "kind", _("Type")
    DISTRICT = "district", _("District")
    YEAR = "year", _("Year")


# The registry's honours a project may be linked to (the registry holds them; no second list).
PROJECT_HONOURS = frozenset({HonourKind.LUBAN_AWARD, HonourKind.FURONG_AWARD})
