"""The assessment pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.assessment import permissions
from zhizao.core.navigation import ConsoleLink, register

GROUP = _("Provincial quality-work assessment")

register(
    ConsoleLink(
        "assessment:index",
        _("Assessments and evidence packs"),
        permissions.can_use_assessments,
        GROUP,
        70,
    ),
    ConsoleLink(
        "assessment:templates", _("Assessment templates"), permissions.can_keep_templates, GROUP, 71
    ),
)
