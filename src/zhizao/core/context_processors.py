from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhizao.core import notifications


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = notifications.unread_count(user)
    return {"unread_notifications": unread}
