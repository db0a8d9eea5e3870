"""The one notification service. Apps call :func:`notify`; none sends mail by itself.

Each message is rendered from a :class:`MessageTemplate` in the recipient's language and stored
in the in-app inbox. Its copies on the template's other channels (e-mail through Django's mail
backend; SMS and WeChat through pluggable backends, settings ``ZHIZAO_SMS_BACKEND`` and
``ZHIZAO_WECHAT_BACKEND``, whose default writes to the log) are logged as
:class:`MessageDelivery` rows in the caller's transaction and handed to the task queue only once
that transaction commits (``transaction.on_commit``): a rolled-back change never told anyone
anything, and no request waits for a mail server. The worker (``zhizao serve`` starts one;
``zhizao db_worker`` alone) delivers each with bounded retries and exponential backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template import Context, Template
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from zhizao.core.choices import Channel, DeliveryStatus, Language
from zhizao.core.models import MessageDelivery, MessageTemplate, Notification, User

logger = logging.getLogger(__name__)


class MessageBackend(Protocol):
    def send(self, *, channel: str, recipient: User, subject: str, body: str) -> None: ...


class LogMessageBackend:
    """Default SMS/WeChat backend: writes the message to the log instead of sending it."""

    def send(self, *, channel: str, recipient: User, subject: str, body: str) -> None:
        logger.info("%s to %s: %s — %s", channel, recipient.username, subject, body)


def _backend(channel: str) -> MessageBackend:
    path = settings.ZHIZAO_SMS_BACKEND if channel == Channel.SMS else settings.ZHIZAO_WECHAT_BACKEND
    backend: MessageBackend = import_string(path)()
    return backend


def render(template: MessageTemplate, language: str, context: Mapping[str, Any]) -> tuple[str, str]:
    subject_source, body_source = (
        (template.subject_en, template.body_en)
        if language == Language.EN
        else (template.subject_zh, template.body_zh)
    )
    ctx = Context(dict(context), autoescape=False)
    subject = Template(subject_source).render(ctx).strip().replace("\n", " ")
    return subject[:200], Template(body_source).render(ctx).strip()


def _address(channel: str, recipient: User) -> str | None:
    """Where ``channel`` reaches ``recipient``; None if it cannot (no e-mail, no phone)."""
    if channel == Channel.EMAIL:
        return recipient.email or None
    if channel == Channel.SMS:
        return recipient.phone or None
    if channel == Channel.WECHAT:
        return ""
    return None


def notify(
    recipients: Iterable[User], code: str, context: Mapping[str, Any], *, link: str = ""
) -> list[Notification]:
    """Send the message ``code`` to every recipient; return the inbox notifications made.

    Safe inside a transaction: the inbox rows and the delivery log rows are part of it, and the
    outbound copies are queued only when it commits."""
    template = MessageTemplate.objects.get(code=code)
    inbox: list[Notification] = []
    for recipient in recipients:
        subject, body = render(template, recipient.language, context)
        inbox.append(
            Notification.objects.create(
                recipient=recipient,
                template=template,
                channel=Channel.INBOX,
                subject=subject,
                body=body,
                link=link,
            )
        )
        for channel in template.channels:
            address = _address(channel, recipient)
            if address is None:
                continue
            delivery = MessageDelivery.objects.create(
                recipient=recipient,
                template=template,
                channel=channel,
                address=address,
                subject=subject,
                body=body,
            )
            transaction.on_commit(partial(enqueue_delivery, delivery.pk), robust=True)
    return inbox


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff before the next attempt after ``attempts`` failures: base, 2×base, 4×base, …"""
    return dt.timedelta(seconds=settings.ZHIZAO_DELIVERY_RETRY_SECONDS * 2 ** (attempts - 1))


def enqueue_delivery(delivery_id: int, run_after: dt.datetime | None = None) -> None:
    """Queue one delivery attempt (deferred to ``run_after`` where the backend can defer)."""
    queued = deliver_message
    if run_after is not None and queued.get_backend().supports_defer:
        queued = queued.using(run_after=run_after)
    queued.enqueue(delivery_id)


def _send(delivery: MessageDelivery) -> None:
    if delivery.channel == Channel.EMAIL:
        send_mail(delivery.subject, delivery.body, None, [delivery.address])
    else:
        _backend(delivery.channel).send(
            channel=delivery.channel,
            recipient=delivery.recipient,
            subject=delivery.subject,
            body=delivery.body,
        )


def deliver(delivery_id: int) -> str:
    """Make one attempt at a pending delivery and log it: sent, retried later (bounded by
    ``ZHIZAO_DELIVERY_MAX_ATTEMPTS``) or failed. Returns the status; a delivery no longer
    pending (a repeated task) is left alone."""
    now = timezone.now()
    claimed = MessageDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        attempts=F("attempts") + 1, next_attempt_at=None, updated_at=now
    )
    delivery = MessageDelivery.objects.select_related("recipient").filter(pk=delivery_id).first()
    if delivery is None:
        return ""
    if not claimed:
        return delivery.status
    try:
        _send(delivery)
    except Exception as error:  # a mail server or gateway failed: log it, retry or give up
        logger.warning(
            "%s delivery %s to %s failed (attempt %d): %s",
            delivery.channel,
            delivery.pk,
            delivery.recipient.username,
            delivery.attempts,
            error,
        )
        delivery.last_error = f"{type(error).__name__}: {error}"[:300]
        if delivery.attempts >= settings.ZHIZAO_DELIVERY_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["status", "last_error", "updated_at"])
        else:
            delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
            delivery.save(update_fields=["next_attempt_at", "last_error", "updated_at"])
            enqueue_delivery(delivery.pk, delivery.next_attempt_at)
        return delivery.status
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "sent_at", "updated_at"])
    return delivery.status


@task()
def deliver_message(delivery_id: int) -> str:
    """The background task: one attempt at one logged delivery."""
    return deliver(delivery_id)


def unread_count(user: User) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.INBOX, read_at__isnull=True
    ).count()
