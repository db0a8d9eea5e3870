from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from zhizao.core import navigation, notifications


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = notifications.unread_count(user)
    return {
        "unread_notifications": unread,
        # The pages of each app this user may open, keyed by the app's URL namespace; computed
        # only when a template reads it (the apps' sub-navigation does).
        "nav_by_app": SimpleLazyObject(lambda: _by_app(request)),
    }


def _by_app(request: HttpRequest) -> dict[str, list[navigation.ConsoleLink]]:
    grouped: dict[str, list[navigation.ConsoleLink]] = {}
    for link in navigation.links_for(request.user):
        grouped.setdefault(link.url_name.split(":")[0], []).append(link)
    return grouped
