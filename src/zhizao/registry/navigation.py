"""The honours registry's pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register

register(
    ConsoleLink(
        "registry:honours", _("Quality honours"), lambda user: True, _("Quality honours"), 30
    ),
)
