"""Filters of the award lists (the forms in ``awards.forms`` validate their input)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from zhizao.awards.choices import EditionState
from zhizao.awards.models import Application, AwardEdition


def filter_applications(
    queryset: QuerySet[Application], data: dict[str, Any]
) -> QuerySet[Application]:
    if data.get("q") is not None:
        queryset = queryset.filter(pk=data["q"])
    if data.get("programme") is not None:
        queryset = queryset.filter(edition__programme=data["programme"])
    if data.get("edition") is not None:
        queryset = queryset.filter(edition=data["edition"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("year") is not None:
        queryset = queryset.filter(edition__year=data["year"])
    return queryset


def _open_q(now: dt.datetime) -> Q:
    return (
        Q(is_historic=False)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(submission_deadline__isnull=True) | Q(submission_deadline__gte=now))
    )


def filter_editions(
    queryset: QuerySet[AwardEdition], data: dict[str, Any], now: dt.datetime
) -> QuerySet[AwardEdition]:
    """``state`` open matches ``AwardEdition.is_open`` at ``now``; closed is every other edition
    that ran applications; historic the editions recorded from published lists."""
    if data.get("programme") is not None:
        queryset = queryset.filter(programme=data["programme"])
    if data.get("year") is not None:
        queryset = queryset.filter(year=data["year"])
    state = data.get("state")
    if state == EditionState.OPEN:
        queryset = queryset.filter(_open_q(now))
    elif state == EditionState.CLOSED:
        queryset = queryset.filter(is_historic=False).exclude(_open_q(now))
    elif state == EditionState.HISTORIC:
        queryset = queryset.filter(is_historic=True)
    return queryset
