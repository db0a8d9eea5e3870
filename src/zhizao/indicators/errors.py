"""Typed exceptions of the indicator engine.

Every error carries its message in English and Chinese, so that the CLI, the API and the web
forms can show it as one line without a traceback: ``str(error)`` is ``"english (中文)"``.
"""

from __future__ import annotations


class IndicatorError(ValueError):
    """Base class: an input the engine cannot turn into a standard-defined number."""

    def __init__(self, message_en: str, message_zh: str, hint: str = "") -> None:
        self.message_en = message_en
        self.message_zh = message_zh
        self.hint = hint
        text = f"{message_en} ({message_zh})"
        if hint:
            text = f"{text}; {hint}"
        super().__init__(text)


class UnknownPollutantError(IndicatorError):
    """A pollutant, indicator or water item name the engine does not know."""


class InvalidValueError(IndicatorError):
    """A value that is negative, not a number, or otherwise impossible."""


class UnitError(InvalidValueError):
    """A value whose range shows it was given in the wrong unit (e.g. CO in µg/m³)."""


class UnknownEditionError(IndicatorError):
    """An edition of a standard that the engine does not implement."""


class InputFormatError(IndicatorError):
    """A file or argument whose layout does not match the documented format."""


class InsufficientDataError(IndicatorError):
    """Too few valid values to compute the requested statistic."""
