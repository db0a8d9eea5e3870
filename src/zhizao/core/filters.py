"""Filters shared by the console lists and the API lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhizao.core.models import Organization, Region


def filter_organizations(
    queryset: QuerySet[Organization],
    *,
    q: str = "",
    kind: str = "",
    region: Region | None = None,
    industry_chain: str = "",
) -> QuerySet[Organization]:
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(name_en__icontains=q) | Q(credit_code__iexact=q.strip())
        )
    if kind:
        queryset = queryset.filter(kind=kind)
    if region is not None:
        queryset = queryset.filter(region__path__startswith=region.path)
    if industry_chain:
        queryset = queryset.filter(industry_chain=industry_chain)
    return queryset
