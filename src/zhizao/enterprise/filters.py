"""Finding enterprises: by name (Chinese or English, any part), by unified social credit code
(whole or its beginning, however it is spaced) or by industry chain; and the one lookup by
credit code that the profile page and the API share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhizao.core.models import Organization
from zhizao.core.validators import normalise_credit_code, validate_credit_code


class CreditCodeNotFound(Exception):
    """A malformed or unknown credit code; ``reason`` says which, in the request's language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def organization_by_credit_code(code: str) -> Organization:
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise CreditCodeNotFound(
            _("“%(code)s” is not a valid unified social credit code: %(why)s")
            % {"code": code, "why": " ".join(error.messages)}
        ) from None
    found = (
        Organization.objects.select_related("region", "parent")
        .filter(credit_code=normalise_credit_code(code))
        .first()
    )
    if found is None:
        raise CreditCodeNotFound(
            _("No organization is registered with the credit code %(code)s.")
            % {"code": normalise_credit_code(code)}
        )
    return found


def search_organizations(text: str = "", chain: str = "") -> QuerySet[Organization]:
    rows = Organization.objects.select_related("region")
    text = text.strip()
    if text:
        compact = normalise_credit_code(text)
        rows = rows.filter(
            Q(name__icontains=text)
            | Q(name_en__icontains=text)
            | Q(credit_code__startswith=compact)
        )
    if chain:
        rows = rows.filter(industry_chain=chain)
    return rows.order_by("name")
