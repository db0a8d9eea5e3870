"""The rapid-testing pages each user's console and sub-navigation offer (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import Role
from zhizao.core.navigation import ConsoleLink, register
from zhizao.core.permissions import AnyUser, is_staff_user
from zhizao.rapidtest import permissions


def _has_markets(user: AnyUser) -> bool:
    """Whether the user reads any market's records; asked once per request (the user object
    lives as long as the request), whatever number of links ask it."""
    cached: bool | None = getattr(user, "_rapidtest_has_markets", None)
    if cached is None:
        cached = permissions.private_markets(user).exists()
        user._rapidtest_has_markets = cached  # type: ignore[union-attr]
    return cached


GROUP = _("Rapid testing")

register(
    ConsoleLink(
        "rapidtest:entry",
        _("Enter a test"),
        _has_markets,
        GROUP,
        10,
        landing_for=frozenset({Role.MARKET_TESTER}),
    ),
    ConsoleLink("rapidtest:upload", _("Upload"), _has_markets, GROUP, 11),
    ConsoleLink("rapidtest:records", _("Records"), _has_markets, GROUP, 12),
    ConsoleLink("rapidtest:cases", _("Cases"), _has_markets, GROUP, 13),
    ConsoleLink("rapidtest:dashboard", _("Dashboard"), permissions.can_see_dashboard, GROUP, 14),
    ConsoleLink("rapidtest:integrity", _("Integrity checks"), is_staff_user, GROUP, 15),
    ConsoleLink("rapidtest:warnings", _("Early warnings"), is_staff_user, GROUP, 16),
    ConsoleLink("rapidtest:boards", _("Public boards"), lambda user: True, GROUP, 17),
    # Large exports and uploads run as background jobs (rapidtest/jobs.py): their pages.
    ConsoleLink("core:job_list", _("My background jobs"), _has_markets, GROUP, 18),
)
