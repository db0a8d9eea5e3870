"""The plans pages each user's console offers (core.navigation): department users land on their
submissions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import Role
from zhizao.core.navigation import ConsoleLink, register
from zhizao.plans import permissions

GROUP = _("Plans and department figures")

register(
    ConsoleLink("plans:plans", _("Plans"), lambda user: True, GROUP, 40),
    ConsoleLink(
        "plans:submissions",
        _("Department submissions"),
        permissions.can_use_submissions,
        GROUP,
        41,
        landing_for=frozenset({Role.DEPARTMENT}),
    ),
    ConsoleLink(
        "plans:completeness",
        _("Submission completeness"),
        permissions.can_view_completeness,
        GROUP,
        42,
    ),
)
