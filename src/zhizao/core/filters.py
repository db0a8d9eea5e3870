"""Filters shared by the console lists and the API lists, and the chips that show a list's
active filters (each chip a link to the same list without that filter)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict

from zhizao.core.models import Organization, Region


@dataclass(frozen=True)
class Chip:
    """One active filter of a list: "Type: Enterprise", and the query string without it."""

    name: str
    label: str
    value: str
    remove_query: str


def active_filters(form: forms.Form, params: QueryDict) -> list[Chip]:
    """The chips of a bound, valid filter form: one per field with a value, in field order."""
    if not form.is_bound or not form.is_valid():
        return []
    chips = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False):
            continue
        if isinstance(field, forms.ModelChoiceField):
            shown = str(value)
        elif isinstance(field, forms.ChoiceField):
            shown = str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
        else:
            shown = str(value)
        rest = params.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        chips.append(Chip(name, str(field.label), shown, rest.urlencode()))
    return chips


def filter_query(params: QueryDict) -> str:
    """The list's filters as a query string without the page, for its pager links."""
    rest = params.copy()
    rest.pop("page", None)
    return rest.urlencode()


def city_districts() -> QuerySet[Region]:
    """The demo city's districts in GB/T 2260 order, then its parks and zones (no code)."""
    return Region.objects.filter(parent__code=settings.ZHIZAO_CITY_CODE).order_by(
        Case(When(code="", then=Value(1)), default=Value(0), output_field=IntegerField()),
        "code",
        "path",
    )


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
