"""The engineering pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.engineering import permissions

GROUP = _("Engineering quality")

register(
    ConsoleLink("engineering:index", _("Engineering pass rates"), lambda user: True, GROUP, 60),
    ConsoleLink("engineering:projects", _("Projects"), permissions.can_see_projects, GROUP, 61),
)
