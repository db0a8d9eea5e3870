"""The public dashboard in every user's console (core.navigation); the site header links it
for everyone, signed in or not."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.opendata import permissions

GROUP = _("Public dashboard and open data")

register(ConsoleLink("opendata:dashboard", _("Public dashboard"), permissions.can_read, GROUP, 5))
