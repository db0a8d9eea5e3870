"""Appending to the security audit log and verifying its chain (docs/security.md).

Each event's ``digest`` is the SHA-256 of the previous event's digest and the event's own fields
in canonical JSON; the first event follows ``GENESIS``. :func:`record` appends under a lock on
the chain's head row, so concurrent appenders queue and the chain never forks; :func:`verify`
recomputes every digest and names the first event that does not match."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from axes.utils import reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.core import services as core_services
from zhizao.core.actors import acting_as
from zhizao.core.choices import ADMIN_ROLES, Role
from zhizao.core.models import Organization, Region, User
from zhizao.security.choices import EventKind, Result
from zhizao.security.models import GENESIS, ChainHead, SecurityEvent
from zhizao.security.permissions import can_assign_roles, can_manage_accounts


def digest_of(previous: str, event: SecurityEvent) -> str:
    fields = {
        "at": event.at.astimezone(UTC).isoformat(),
        "kind": event.kind,
        "subject": event.subject,
        "subject_id": event.subject_id,
        "object": event.object,
        "result": event.result,
        "address": event.address,
        "detail": event.detail,
    }
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    from zhizao.core.audit import client_address

    return client_address(request)[:64]


def record(
    kind: str,
    *,
    result: str = Result.SUCCESS,
    user: Any = None,
    subject: str = "",
    object: str = "",  # the standard's word for what was acted on
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event. ``user`` (or ``subject``, a username, when there is no user, e.g. a
    failed login) is who acted; ``object`` what was acted on."""
    if user is not None and getattr(user, "is_authenticated", False):
        subject = subject or user.get_username()
        subject_id = user.pk
    else:
        subject_id = None
    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = SecurityEvent(
            at=timezone.now(),
            kind=kind,
            subject=str(subject)[:150],
            subject_id=subject_id,
            object=str(object)[:300],
            result=result,
            address=_address(request),
            detail=detail or {},
            previous=head.digest,
        )
        event.digest = digest_of(head.digest, event)
        event.save()
        head.last_seq = event.seq
        head.digest = event.digest
        head.save(update_fields=["last_seq", "digest"])
    return event


@dataclass(frozen=True)
class Verification:
    events: int
    broken_at: int | None = None  # seq of the first event that does not match
    reason_en: str = ""
    reason_zh: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.reason_en


def verify() -> Verification:
    """Walk the chain in order; the first mismatch is where it was tampered with."""
    previous = GENESIS
    count = 0
    last_seq = 0
    for event in SecurityEvent.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if event.previous != previous:
            return Verification(
                count,
                event.seq,
                f"event #{event.seq} does not follow the event before it "
                "(an event was deleted or inserted)",
                f"第 {event.seq} 条记录与前一条不相接（有记录被删除或插入）",
            )
        if digest_of(previous, event) != event.digest:
            return Verification(
                count,
                event.seq,
                f"event #{event.seq} was changed after it was written",
                f"第 {event.seq} 条记录写入后被修改",
            )
        previous = event.digest
        last_seq = event.seq
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_digest = (head.last_seq, head.digest) if head else (0, GENESIS)
    if (head_seq, head_digest) != (last_seq, previous):
        return Verification(
            count,
            None,
            f"the log ends at event #{last_seq} but its head names #{head_seq} "
            "(the last events were deleted)",
            f"日志止于第 {last_seq} 条，而链头记为第 {head_seq} 条（末尾记录被删除）",
        )
    return Verification(count)


# --- Accounts and roles (三员分立; security.permissions) ---------------------------------------


def create_account(
    actor: User,
    *,
    username: str,
    password: str,
    region: Region | None = None,
    organization: Organization | None = None,
    email: str = "",
) -> User:
    """The system administrator opens an account, without a role: the security administrator
    grants it one (:func:`assign_role`)."""

    if not can_manage_accounts(actor):
        raise PermissionDenied(_("Only the system administrator opens accounts."))
    validate_password(password)
    return core_services.create_user(
        username=username,
        password=password,
        role="",
        region=region,
        organization=organization,
        email=email,
        actor=actor,
    )


def set_account_active(actor: User, user: User, active: bool) -> User:
    """The system administrator deactivates (or reactivates) an account, never its own."""
    if not can_manage_accounts(actor):
        raise PermissionDenied(_("Only the system administrator deactivates accounts."))
    if user.pk == actor.pk:
        raise PermissionDenied(_("No one deactivates their own account."))
    with transaction.atomic(), acting_as(actor):
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.is_active = active
        locked.save(update_fields=["is_active"])
    return locked


def assign_role(actor: User, user: User, role: str) -> User:
    """The security administrator grants ``role`` (or withdraws it: ``""``). Nobody changes
    their own role; an administrator's role is never given to a superuser (the database refuses
    it too). The change is a security event (``role_changed``, before and after, naming the
    security administrator)."""
    if not can_assign_roles(actor):
        raise PermissionDenied(_("Only the security administrator grants roles."))
    if user.pk == actor.pk:
        raise PermissionDenied(_("No one changes their own role."))
    if role and role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    with transaction.atomic(), acting_as(actor):
        locked = User.objects.select_for_update().get(pk=user.pk)
        if role in ADMIN_ROLES and locked.is_superuser:
            raise ValidationError(
                {"role": [_("A superuser cannot be given an administrator's role.")]}
            )
        locked.role = role
        locked.full_clean(exclude=["password"])
        locked.save(update_fields=["role"])
    return locked


def unlock_account(actor: User, username: str, request: HttpRequest | None = None) -> int:
    """The security administrator lifts the lockout of ``username`` (django-axes); returns how
    many lockouts were lifted. A security event."""
    if not can_assign_roles(actor):
        raise PermissionDenied(_("Only the security administrator lifts lockouts."))
    lifted = int(reset(username=username))
    record(
        EventKind.UNLOCKED,
        user=actor,
        object=username,
        request=request,
        detail={"lockouts": lifted},
    )
    return lifted


EXPIRED = datetime(2000, 1, 1, tzinfo=UTC)  # a one-time password's "last changed"
BOOTSTRAP_ADMINS = (
    ("sysadmin", Role.SYSTEM_ADMIN),
    ("secadmin", Role.SECURITY_ADMIN),
    ("auditor", Role.AUDIT_ADMIN),
)


def bootstrap_administrators() -> list[tuple[User, str]]:
    """The three administrators of an install that has none (``zhizao bootstrap-admins``), each
    with a random one-time password that has already expired, so each must choose their own
    at first login. Returns each account with its one-time password."""
    if User.objects.filter(role__in=ADMIN_ROLES).exists():
        raise ValidationError(
            _("This install already has administrators: the security administrator grants roles.")
        )
    made = []
    with transaction.atomic():
        for username, role in BOOTSTRAP_ADMINS:
            password = secrets.token_urlsafe(12)
            user = core_services.create_user(username=username, password=password, role=role)
            User.objects.filter(pk=user.pk).update(password_changed_at=EXPIRED)
            user.refresh_from_db()
            made.append((user, password))
    return made
