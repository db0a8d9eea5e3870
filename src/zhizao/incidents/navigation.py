"""The incident pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.incidents import permissions

GROUP = _("Quality-safety incidents")

register(
    ConsoleLink(
        "incidents:index", _("Years without a major incident"), lambda user: True, GROUP, 50
    ),
    ConsoleLink("incidents:list", _("Incidents"), permissions.can_see_list, GROUP, 51),
    ConsoleLink("incidents:new", _("Record an incident"), permissions.can_record, GROUP, 52),
)
