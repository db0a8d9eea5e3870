"""Who made a change: the one helper that puts the acting user on every history row.

Every service wraps its writes in :func:`acting_as`; django-simple-history then records that
user on each history row written inside the block (``save``, ``delete``, ``get_or_create``,
``bulk_create_with_history`` alike), whatever request, if any, is being served. Work that no
person does (the demo loader, an import job, a message received from the public) acts as the
named :func:`system_actor`, never as ``None``, so that every history row says who.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from zhizao.core.models import User

SYSTEM_USERNAME = "system"


@dataclass(frozen=True)
class _Acting:
    """What simple_history reads from its context (``context.request.user``)."""

    user: User


_MISSING = object()


@contextmanager
def acting_as(actor: User) -> Iterator[User]:
    """Record ``actor`` as the history user of every change made inside the block.

    Nests: the inner actor wins inside, the outer one is restored after. Overrides the user of
    the request being served (HistoryRequestMiddleware) for the duration of the block."""
    if not isinstance(actor, User) or actor.pk is None:
        raise TypeError("acting_as needs a saved User (use system_actor() for the system)")
    context = HistoricalRecords.context
    previous = getattr(context, "request", _MISSING)
    context.request = _Acting(actor)
    try:
        yield actor
    finally:
        if previous is _MISSING:
            del context.request
        else:
            context.request = previous


def system_actor() -> User:
    """The named system user (username ``system``): created once, inactive, no password, so it
    can never log in; it only signs the changes that no person makes."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is not None:
        return user
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "系统",
            "last_name": "",
            "is_active": False,
            "password": make_password(None),
        },
    )
    if created:
        # The system created itself: its own first history row names it too.
        user.history.filter(history_user__isnull=True).update(history_user=user)
    return user


def is_system_actor(user: object) -> bool:
    return (
        isinstance(user, User)
        and user.username == SYSTEM_USERNAME
        and not user.is_active
        and not user.has_usable_password()
    )


def request_actor(request: HttpRequest) -> User:
    """The signed-in user who acts in ``request``: the session's user on a page, the token's or
    the session's user in the API (``ApiAuth`` puts the token's user on ``request.user``).

    The one helper that views, API endpoints and admin actions use to name the actor of a
    service call. A view reached without a user (a decorator forgotten) is refused, not run
    as nobody."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
