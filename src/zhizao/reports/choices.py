"""Choices and message codes of the reports app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotState(models.TextChoices):
    COMPUTING = "computing", _("computing")
    DONE = "done", _("done")


JOB_SNAPSHOT = "reports.snapshot"
