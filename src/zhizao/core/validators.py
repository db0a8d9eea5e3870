"""Field validators shared by the core records, their forms and the API.

Messages are translatable: the active language (zh-Hans by default, or English) decides which
one the user reads.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


def normalise_credit_code(value: str) -> str:
    """Strip spaces and hyphens and upper-case a unified social credit code."""
    return uscc.compact(value)


def validate_credit_code(value: str) -> None:
    """Validate an 18-character unified social credit code (统一社会信用代码, GB 32100-2015)."""
    code = normalise_credit_code(value)
    try:
        uscc.validate(code)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.")
            % {"count": len(code)},
            code="credit_code_length",
        ) from None
    except InvalidChecksum:
        # Never name the "expected" check character: a typo anywhere in the first 17 characters
        # changes it, and a user told to change the last one would enter a wrong but valid code.
        raise ValidationError(
            _(
                "This unified social credit code does not add up: its check character (the "
                "18th, GB 32100-2015) does not match the other 17. Check the whole code against "
                "the business licence; a typo may be anywhere in it."
            ),
            code="credit_code_checksum",
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise ValidationError(
            _(
                "This is not a valid unified social credit code: only digits and the capital "
                "letters allowed by GB 32100-2015 may appear."
            ),
            code="credit_code_format",
        ) from None


def validate_plain_text(value: str) -> None:
    """Refuse markup in names and titles: they are shown on public pages and in reports."""
    if "<" in value or ">" in value:
        raise ValidationError(
            _("HTML or markup is not allowed here; enter plain text."), code="markup"
        )


# Control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) and lone surrogates.
# PostgreSQL cannot store NUL, XML (XLSX exports) cannot hold most of the others, and none of
# them belongs in a name, a note or a code. Tab and newline are allowed only where a field is
# multi-line (``multiline=True``: tab, line feed and carriage return). The same pattern is used
# in Python (``re``) and, for file imports, by Arrow's RE2 (``CONTROL_CHARACTERS`` on columns).
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f-\x9f]"
CONTROL_CHARACTERS_MULTILINE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_CONTROL = re.compile(CONTROL_CHARACTERS)
_CONTROL_MULTILINE = re.compile(CONTROL_CHARACTERS_MULTILINE)
_SURROGATE = re.compile("[\ud800-\udfff]")


def control_character_message() -> str:
    return _("Control characters (such as U+0000 or U+000B) are not allowed here.")


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    return bool(pattern.search(value) or _SURROGATE.search(value))


def validate_no_control_characters(value: object, *, multiline: bool = False) -> None:
    """Refuse control characters in a text value (every text field, on every path)."""
    if isinstance(value, str) and has_control_characters(value, multiline=multiline):
        raise ValidationError(control_character_message(), code="control_character")


def validate_no_control_characters_multiline(value: object) -> None:
    """:func:`validate_no_control_characters` for multi-line fields (tab and newlines allowed)."""
    validate_no_control_characters(value, multiline=True)
