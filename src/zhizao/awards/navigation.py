"""The award pages each user's console offers (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import Role
from zhizao.core.navigation import ConsoleLink, register
from zhizao.core.permissions import AnyUser, is_staff_user

GROUP = _("Quality awards")
_APPLICATION_ROLES = frozenset({Role.BUREAU_STAFF, Role.ENTERPRISE, Role.ASSESSOR, Role.COMMITTEE})


def _works_on_applications(user: AnyUser) -> bool:
    """Whose daily job involves applications: applicants, staff, assessors, the committee."""
    return user.is_authenticated and (user.is_superuser or user.role in _APPLICATION_ROLES)


register(
    ConsoleLink(
        "awards:application_list",
        _("Applications"),
        _works_on_applications,
        GROUP,
        20,
        landing_for=frozenset({Role.ASSESSOR, Role.COMMITTEE}),
    ),
    ConsoleLink("awards:edition_list", _("Award editions"), lambda user: True, GROUP, 21),
    ConsoleLink("awards:edition_create", _("Open an edition"), is_staff_user, GROUP, 22),
    ConsoleLink("awards:notices", _("Public notices"), lambda user: True, GROUP, 23),
)
