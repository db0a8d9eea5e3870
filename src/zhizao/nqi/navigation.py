"""The quality-infrastructure pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.core.permissions import AnyUser

GROUP = _("Quality infrastructure")


def _logged_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated)


def _enterprise(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", "") == "enterprise")


register(
    ConsoleLink("nqi:registers", _("Quality infrastructure"), lambda user: True, GROUP, 40),
    ConsoleLink("nqi:capability", _("Capability search"), lambda user: True, GROUP, 41),
    ConsoleLink("nqi:catalogue", _("One-stop service"), lambda user: True, GROUP, 42),
    ConsoleLink("nqi:file_request", _("File a request"), _enterprise, GROUP, 43),
    ConsoleLink("nqi:requests", _("One-stop requests"), _logged_in, GROUP, 44),
    ConsoleLink("nqi:dashboard", _("Pilot dashboard"), lambda user: True, GROUP, 45),
)
