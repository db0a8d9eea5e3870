"""The report pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.reports import permissions

GROUP = _("Annual quality report")

register(
    ConsoleLink("reports:index", _("Annual quality reports"), lambda user: True, GROUP, 90),
    ConsoleLink("reports:texts", _("Report narrative"), permissions.can_see_console, GROUP, 91),
)
