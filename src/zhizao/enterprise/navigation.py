"""The enterprise pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.enterprise.permissions import can_record_event

register(
    ConsoleLink(
        "enterprise:search", _("Enterprise profiles"), lambda user: True, _("Enterprises"), 38
    ),
    ConsoleLink("enterprise:events", _("Quality events"), lambda user: True, _("Enterprises"), 39),
    ConsoleLink(
        "enterprise:event_create",
        _("Record a quality event"),
        can_record_event,
        _("Enterprises"),
        41,
    ),
)
