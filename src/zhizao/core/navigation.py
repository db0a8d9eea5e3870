"""What each user's console offers, and where each role lands after logging in.

Each app declares its pages in ``<app>/navigation.py`` with :func:`register`, naming who may open
each one with the same permission function its view checks, so a role's console shows only what
it may open. A link may be the landing page of some roles: the market tester's daily job is
entering tests, so the tester lands there; everyone else lands on the console.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from .permissions import AnyUser


@dataclass(frozen=True)
class ConsoleLink:
    url_name: str
    label: str | Promise
    allowed: Callable[[AnyUser], bool]
    group: str | Promise
    order: int = 100
    landing_for: frozenset[str] = field(default_factory=frozenset)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_LINKS: dict[str, ConsoleLink] = {}
_discovered = False


def register(*links: ConsoleLink) -> None:
    for link in links:
        _LINKS[link.url_name] = link


def _all() -> list[ConsoleLink]:
    global _discovered
    if not _discovered:
        autodiscover_modules("navigation")
        _discovered = True
    return sorted(_LINKS.values(), key=lambda link: (link.order, link.url_name))


def links_for(user: AnyUser) -> list[ConsoleLink]:
    """The registered pages this user may open, in console order."""
    return [link for link in _all() if link.allowed(user)]


def grouped_links_for(user: AnyUser) -> list[tuple[str | Promise, list[ConsoleLink]]]:
    groups: dict[str, tuple[str | Promise, list[ConsoleLink]]] = {}
    for link in links_for(user):
        groups.setdefault(str(link.group), (link.group, []))[1].append(link)
    return list(groups.values())


class AppLinks:
    """The links of one app this user may open, by the app's URL namespace
    (``nav_by_app.rapidtest`` in a template); each app's permission functions run only when its
    links are read, once per request."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self._cache: dict[str, list[ConsoleLink]] = {}

    def __getitem__(self, app: str) -> list[ConsoleLink]:
        if app not in self._cache:
            prefix = f"{app}:"
            self._cache[app] = [
                link
                for link in _all()
                if link.url_name.startswith(prefix) and link.allowed(self.user)
            ]
        return self._cache[app]


def landing_url(user: AnyUser) -> str:
    """Where the user goes after logging in: the page of their daily job, else the console."""
    role = getattr(user, "role", "")
    for link in _all():
        if role and role in link.landing_for and link.allowed(user):
            return link.url
    return reverse("core:console")
