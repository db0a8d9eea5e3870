"""Standard codes (标准编号): parse, validate and normalise ``GB/T 19001-2016``, ``ISO 9001:2015``,
``DB43/T 1234-2020``, ``T/CAS 123-2019`` … Pure Python, no Django (docs/standards.md)."""

from zhizao.stdcodes.codes import (
    CodeError,
    ErrorCode,
    Kind,
    Level,
    ParseResult,
    StandardCode,
    StandardCodeError,
    normalise,
    parse,
    parse_code,
    same_standard,
    standard_key,
)

__all__ = [
    "CodeError",
    "ErrorCode",
    "Kind",
    "Level",
    "ParseResult",
    "StandardCode",
    "StandardCodeError",
    "normalise",
    "parse",
    "parse_code",
    "same_standard",
    "standard_key",
]
