"""The award pages each user's console offers (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.awards import permissions
from zhizao.core.choices import Role
from zhizao.core.navigation import ConsoleLink, register
from zhizao.core.permissions import AnyUser

GROUP = _("Quality awards")
_APPLICATION_ROLES = frozenset({Role.BUREAU_STAFF, Role.ENTERPRISE, Role.ASSESSOR, Role.COMMITTEE})


def _administers_a_programme(user: AnyUser) -> bool:
    return permissions.programmes_administered_by(user).exists()


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
    ConsoleLink("awards:edition_create", _("Open an edition"), _administers_a_programme, GROUP, 22),
    ConsoleLink("awards:notices", _("Public notices"), lambda user: True, GROUP, 23),
)
