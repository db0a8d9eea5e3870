"""The environmental-quality pages each user's console offers (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.core.permissions import is_staff_user
from zhizao.environment import permissions

GROUP = _("Environmental quality")

register(
    ConsoleLink("environment:air", _("Air quality"), lambda user: True, GROUP, 40),
    ConsoleLink("environment:water", _("Water quality"), lambda user: True, GROUP, 41),
    ConsoleLink(
        "environment:completeness",
        _("Air data completeness"),
        permissions.can_see_completeness,
        GROUP,
        42,
    ),
    ConsoleLink("environment:upload", _("Import hourly air data"), is_staff_user, GROUP, 43),
)
