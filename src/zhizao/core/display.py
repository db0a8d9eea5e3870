"""How records are named and numbers written in the user's language: a record with an English
name (``name_en``) shows it on English pages and its Chinese name otherwise; edition numbers are
ordinals (第2届 / 2nd); whole numbers are grouped by thousands in both languages (1,100,000)."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.translation import get_language


class Named(Protocol):
    name: str
    name_en: str


def is_chinese() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def localized_name(record: Named) -> str:
    """``record.name_en`` on a non-Chinese page when it has one, else ``record.name``."""
    if not is_chinese() and record.name_en:
        return record.name_en
    return record.name


def edition_ordinal(number: int) -> str:
    """第2届 in Chinese, 2nd in English."""
    if is_chinese():
        return f"第{number}届"
    return str(ordinal(number))


def grouped(value: object) -> str:
    """A whole number (or decimal) with thousands grouped: 1100000 → 1,100,000; 98.75 stays."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return "" if value is None else str(value)
    return f"{value:,}"
