"""Security API: the audit administrator reads the security log (for a log collector)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from zhizao.core.actors import request_actor
from zhizao.core.api_auth import api_auth
from zhizao.core.pagination import BoundedPagination
from zhizao.security.filters import filter_events
from zhizao.security.models import SecurityEvent
from zhizao.security.permissions import can_read_security_log

router = Router(tags=["security"])


class EventOut(Schema):
    seq: int
    at: datetime
    kind: str
    subject: str
    object: str
    result: str
    address: str
    detail: dict[str, Any]
    previous: str
    digest: str


@router.get("/events", response=list[EventOut], auth=api_auth)
@paginate(BoundedPagination)
def events(
    request: HttpRequest, kind: str = "", result: str = "", subject: str = ""
) -> QuerySet[SecurityEvent]:
    """The security log in order (the audit administrator only), with each event's digest so
    that a collector can check the chain itself."""
    if not can_read_security_log(request_actor(request)):
        raise PermissionDenied
    data = {"kind": kind, "result": result, "subject": subject}
    return filter_events(SecurityEvent.objects.order_by("seq"), data)
