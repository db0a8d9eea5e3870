"""Delivery with retries (issue 9), the one history-user helper and the named system actor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from simple_history.models import HistoricalChanges

from zhizao.awards import services as award_services
from zhizao.awards.choices import AwardCategory, AwardLevel, Outcome
from zhizao.awards.models import AwardEdition, AwardProgramme
from zhizao.core import notifications, services
from zhizao.core.actors import SYSTEM_USERNAME, acting_as, is_system_actor, system_actor
from zhizao.core.choices import Channel, DeliveryStatus
from zhizao.core.models import MessageDelivery, MessageTemplate, Organization, User
from zhizao.core.testing import run_queued_tasks
from zhizao.registry import services as registry_services
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db

FAILURES: list[str] = []


class FailingBackend:
    """An SMS gateway that is down: every send raises."""

    def send(self, *, channel, recipient, subject, body):
        FAILURES.append(recipient.username)
        raise ConnectionError("gateway unreachable")


class FlakyBackend:
    """Fails the first send, then works."""

    def send(self, *, channel, recipient, subject, body):
        FAILURES.append(recipient.username)
        if len(FAILURES) == 1:
            raise ConnectionError("gateway busy")


def _sms_template():
    return MessageTemplate.objects.create(
        code="test-sms",
        subject_zh="短信",
        body_zh="正文",
        subject_en="SMS",
        body_en="Body",
        channels=[Channel.SMS],
    )


def _notify_alice(personas, capture):
    personas.alice.phone = "13800000000"
    personas.alice.save()
    with capture(execute=True) as callbacks:
        notifications.notify([personas.alice], "test-sms", {})
    assert len(callbacks) == 1  # one message, one task
    return MessageDelivery.objects.get()


def test_a_failing_backend_is_retried_then_marked_failed(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.ZHIZAO_SMS_BACKEND = f"{__name__}.FailingBackend"
    settings.ZHIZAO_DELIVERY_MAX_ATTEMPTS = 3
    FAILURES.clear()
    _sms_template()
    delivery = _notify_alice(personas, django_capture_on_commit_callbacks)
    assert run_queued_tasks() == 3
    delivery.refresh_from_db()
    assert FAILURES == ["alice"] * 3
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.last_error == "ConnectionError: gateway unreachable"
    assert DBTaskResult.objects.count() == 3  # one task per attempt, no fourth
    assert run_queued_tasks() == 0


def test_a_retry_waits_with_backoff_and_then_succeeds(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.ZHIZAO_SMS_BACKEND = f"{__name__}.FlakyBackend"
    settings.ZHIZAO_DELIVERY_RETRY_SECONDS = 60
    FAILURES.clear()
    _sms_template()
    delivery = _notify_alice(personas, django_capture_on_commit_callbacks)
    before = timezone.now()
    assert run_queued_tasks() == 1  # the retry is deferred by a minute: not ready yet
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at >= before + dt.timedelta(seconds=60)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == delivery.next_attempt_at
    assert notifications.retry_delay(3) == dt.timedelta(seconds=240)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute on
    assert run_queued_tasks() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.SENT,
        2,
        "ConnectionError: gateway busy",
    )


def test_notify_outside_a_commit_sends_nothing(personas, django_capture_on_commit_callbacks):
    """Inside the test's transaction, with the commit callbacks not run: nothing is queued."""
    MessageTemplate.objects.create(
        code="test-mail",
        subject_zh="邮件",
        body_zh="正文",
        subject_en="Mail",
        body_en="Body",
        channels=[Channel.EMAIL],
    )
    personas.alice.email = "alice@example.invalid"
    personas.alice.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify([personas.alice], "test-mail", {})
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == 0
    assert run_queued_tasks() == 0
    assert mail.outbox == []


def test_acting_as_names_the_user_nests_and_restores(personas):
    organization = personas.org_a
    with acting_as(personas.officer):
        organization.address = "一"
        organization.save()
        with acting_as(personas.admin):
            organization.address = "二"
            organization.save()
        organization.address = "三"
        organization.save()
    users = [row.history_user for row in organization.history.order_by("history_id")][-3:]
    assert users == [personas.officer, personas.admin, personas.officer]
    with pytest.raises(TypeError), acting_as(None):  # type: ignore[arg-type]
        pass


def test_the_system_actor_is_one_inactive_user_that_cannot_log_in(db):
    first = system_actor()
    assert system_actor().pk == first.pk
    assert User.objects.filter(username=SYSTEM_USERNAME).count() == 1
    assert not first.is_active
    assert not first.has_usable_password()
    assert is_system_actor(first)
    assert first.history.get().history_user == first
    with pytest.raises(ValidationError) as refused:
        services.create_user(username=SYSTEM_USERNAME, password="x" * 12, role="")
    assert list(refused.value.message_dict) == ["username"]


def _mayor_edition(personas):
    with acting_as(personas.admin):  # test set-up, signed like everything else
        programme = AwardProgramme.objects.create(
            code="zhuzhou-mayor-quality-award",
            name="株洲市市长质量奖",
            level=AwardLevel.CITY,
            region=personas.city,
            validity_years=3,
        )
        return AwardEdition.objects.create(programme=programme, number=1, year=2020, award_quota=3)


def test_revoking_a_result_writes_a_registry_history_row_naming_the_actor(personas):
    edition = _mayor_edition(personas)
    result = award_services.record_historic_result(
        personas.admin,
        edition,
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded=personas.org_a.name,
        organization=personas.org_a,
        city=personas.city,
    )
    honour = Honour.objects.get(award_result=result)
    assert honour.history.get().history_user == personas.admin
    award_services.revoke_result(personas.admin, result, "产品质量事故")
    latest = honour.history.latest()
    assert latest.history_type == "~"
    assert latest.revoked_at is not None
    assert latest.history_user == personas.admin
    assert not Honour.objects.standing().filter(pk=honour.pk).exists()


def _null_user_rows():
    return {
        model.__name__: model._default_manager.filter(history_user__isnull=True).count()
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
        and model._default_manager.filter(history_user__isnull=True).exists()
    }


def test_services_leave_no_history_row_without_a_user(personas):
    services.update_organization(personas.officer, personas.org_a, {"address": "天元区某路"})
    registry_services.create_honour(
        personas.officer,
        {
            "kind": "luban_award",
            "holder_kind": "project",
            "holder_name": "某工程",
            "city": personas.city,
        },
    )
    result = award_services.record_historic_result(
        personas.admin,
        _mayor_edition(personas),
        category=AwardCategory.ORGANIZATION,
        outcome=Outcome.AWARD,
        name_as_awarded=personas.org_b.name,
        organization=personas.org_b,
        city=personas.city,
    )
    award_services.revoke_result(personas.admin, result, "撤销")
    award_services.declare_conflict(personas.assessor, personas.org_a, "曾任顾问")
    assert _null_user_rows() == {}


def test_the_demo_loaders_history_rows_name_the_system_actor(db):
    call_command("demo", only="core")
    call_command("demo", only="registry")
    call_command("demo", only="awards")
    system = system_actor()
    assert _null_user_rows() == {}
    signed = {
        model.__name__: set(model._default_manager.values_list("history_user__username", flat=True))
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and model._default_manager.exists()
    }
    assert signed["HistoricalRegion"] == {system.username}
    assert signed["HistoricalOrganization"] == {system.username}
    assert signed["HistoricalHonour"] == {system.username}
    assert signed["HistoricalAwardResult"] == {system.username}
    assert Organization.objects.exists()


def test_demo_logins_do_not_list_the_system_actor(city):
    import io

    system_actor()
    out = io.StringIO()
    call_command("demo", only="core", logins=True, stdout=out)
    logins = [line.split()[0] for line in out.getvalue().splitlines() if line.startswith("  ")]
    assert "officer" in logins
    assert "system" not in logins
