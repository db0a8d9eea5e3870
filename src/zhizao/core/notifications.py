"""The one notification service. Apps call :func:`notify`; none sends mail by itself.

Each message is rendered from a :class:`MessageTemplate` in the recipient's language, stored in
the in-app inbox, and also sent on the template's other channels: e-mail through Django's mail
backend, SMS and WeChat through pluggable backends (settings ``ZHIZAO_SMS_BACKEND`` and
``ZHIZAO_WECHAT_BACKEND``) whose default writes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context, Template
from django.utils.module_loading import import_string

from zhizao.core.choices import Channel, Language
from zhizao.core.models import MessageTemplate, Notification, User

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


def notify(
    recipients: Iterable[User], code: str, context: Mapping[str, Any], *, link: str = ""
) -> list[Notification]:
    """Send the message ``code`` to every recipient; return the inbox notifications made."""
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
            _deliver(channel, template, recipient, subject, body, link)
    return inbox


def _deliver(
    channel: str, template: MessageTemplate, recipient: User, subject: str, body: str, link: str
) -> None:
    error = ""
    if channel == Channel.EMAIL:
        if not recipient.email:
            return
        try:
            send_mail(subject, body, None, [recipient.email])
        except OSError as exc:  # SMTP down: keep the record, report the failure
            error = str(exc)[:300]
    elif channel in (Channel.SMS, Channel.WECHAT):
        if channel == Channel.SMS and not recipient.phone:
            return
        try:
            _backend(channel).send(channel=channel, recipient=recipient, subject=subject, body=body)
        except Exception as exc:  # a third-party gateway failed; record it
            logger.exception("%s delivery to %s failed", channel, recipient.username)
            error = str(exc)[:300]
    else:
        return
    Notification.objects.create(
        recipient=recipient,
        template=template,
        channel=channel,
        subject=subject,
        body=body,
        link=link,
        delivery_error=error,
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.INBOX, read_at__isnull=True
    ).count()
