"""Template filters for names and numbers in the user's language (see ``core.display``):
``{{ region|display_name }}``, ``{{ n|edition_ordinal }}``, ``{{ count|grouped }}``."""

from __future__ import annotations

from django import template

from zhizao.core import display

register = template.Library()


@register.filter
def display_name(record: display.Named) -> str:
    return display.localized_name(record)


@register.filter
def edition_ordinal(number: int) -> str:
    return display.edition_ordinal(number)


@register.filter
def grouped(value: object) -> str:
    return display.grouped(value)
