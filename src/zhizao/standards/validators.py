"""The one validator of a standard code, used by the model (and so by forms, the admin, the API
and importers alike). The parser (zhizao.stdcodes) has no Django: it returns its reason in
Chinese and English, and this layer shows the active language's one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation

from zhizao.stdcodes import CodeError, StandardCode, parse


def code_error_message(error: CodeError) -> str:
    """The parser's reason in the active language (zh-Hans by default, English otherwise)."""
    return error.message(translation.get_language() or "zh-hans")


def parse_standard_code(value: str) -> StandardCode:
    """Parse ``value`` or raise a ValidationError with the parser's reason and error code."""
    result = parse(value)
    if result.standard is None:
        assert result.error is not None
        raise ValidationError(code_error_message(result.error), code=result.error.code.value)
    return result.standard


def validate_standard_code(value: str) -> None:
    parse_standard_code(value)
