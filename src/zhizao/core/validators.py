"""Field validators shared by the core records, their forms and the API.

Messages are translatable: the active language (zh-Hans by default, or English) decides which
one the user reads.
"""

from __future__ import annotations

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
