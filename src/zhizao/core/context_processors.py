from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
        "nav_by_app": navigation.AppLinks(request.user),
    }
