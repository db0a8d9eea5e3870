"""The fund ledger's pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register

register(
    ConsoleLink("funds:programmes", _("Incentive funds"), lambda user: True, _("Enterprises"), 40),
)
