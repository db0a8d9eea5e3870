"""Messages of a rapid-test change leave only after its transaction commits (issue 9): the
instrument API's all-or-nothing batch that rolls back has told no one anything; one that
commits queues one task per message, and the real database worker delivers and logs each."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks.backends.database.models import DBTaskResult

from zhizao.core.choices import Channel, DeliveryStatus
from zhizao.core.models import MessageDelivery, MessageTemplate, Notification
from zhizao.rapidtest.models import FollowUpCase

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

API = "/api/v1/rapidtest"


def _failing(rt, client_record_id, **extra):
    return {
        "client_record_id": client_record_id,
        "market": rt.market.credit_code,
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "value": "63.2",
        "result": "不合格",
        "tested_at": rt.now.isoformat(),
        **extra,
    }


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def test_a_rolled_back_batch_sends_nothing_and_a_committed_one_sends_each_message_once(rt):
    MessageTemplate.objects.filter(code="rapidtest_case_opened").update(channels=[Channel.EMAIL])
    rt.p.tester.email = "tester@example.invalid"
    rt.p.tester.save()
    rt.p.officer.email = "officer@example.invalid"
    rt.p.officer.save()
    client = rt.p.client("tester")

    # Record 0 fails its test (a case opens, its messages are written); record 1 contradicts its
    # value, so the whole batch rolls back.
    bad = {"records": [_failing(rt, "r-1"), _failing(rt, "r-2", value="80", result="合格")]}
    response = client.post(f"{API}/records/batch", bad, content_type="application/json")
    assert response.status_code == 400
    assert FollowUpCase.objects.count() == 0
    assert Notification.objects.count() == 0
    assert MessageDelivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    _run_worker()
    assert mail.outbox == []

    good = {"records": [_failing(rt, "r-1")]}
    response = client.post(f"{API}/records/batch", good, content_type="application/json")
    assert response.status_code == 200, response.content
    deliveries = list(MessageDelivery.objects.order_by("pk"))
    assert {d.address for d in deliveries} == {"tester@example.invalid", "officer@example.invalid"}
    tasks = list(DBTaskResult.objects.all())
    assert sorted(task.args_kwargs["args"][0] for task in tasks) == [d.pk for d in deliveries]
    assert {task.task_path for task in tasks} == {"zhizao.core.notifications.deliver_message"}
    assert mail.outbox == []  # the request queued them; the worker sends them

    _run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(d.address for d in deliveries)
    for delivery in MessageDelivery.objects.all():
        assert (delivery.status, delivery.attempts, delivery.last_error) == (
            DeliveryStatus.SENT,
            1,
            "",
        )
        assert delivery.sent_at is not None
    assert {task.status for task in DBTaskResult.objects.all()} == {TaskResultStatus.SUCCEEDED}
    _run_worker()  # nothing is sent twice
    assert len(mail.outbox) == len(deliveries)
