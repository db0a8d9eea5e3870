"""Cells of CSV and XLSX exports, made safe to open in a spreadsheet.

Every export of the project writes its cells through :func:`safe_cell`: a text cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by Excel,
WPS or LibreOffice as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``), so it is prefixed
with a single quote, as OWASP's CSV-injection guidance advises
(https://owasp.org/www-community/attacks/CSV_Injection). Numbers stay numbers. For XLSX the
characters XML cannot hold (control characters a value may carry from before they were refused)
are replaced by U+FFFD, so one stored value never makes an export fail.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_cell(value: Any, *, xlsx: bool = False) -> Any:
    """The value to write into an exported cell (see the module's docstring)."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    if xlsx:
        value = _XML_ILLEGAL.sub("\ufffd", value)
    return value


def safe_row(row: Any, *, xlsx: bool = False) -> list[Any]:
    return [safe_cell(value, xlsx=xlsx) for value in row]
