from django.core import mail
from django.urls import reverse

from zhizao.core import notifications, services
from zhizao.core.choices import Channel, DeliveryStatus
from zhizao.core.demo import synthetic_credit_code
from zhizao.core.models import MessageDelivery, MessageTemplate, Notification, Organization
from zhizao.core.testing import run_queued_tasks


def _form(personas, **overrides):
    data = {
        "name": "株洲网页注册有限公司",
        "credit_code": synthetic_credit_code("web", "430211"),
        "kind": "enterprise",
        "region": personas.tianyuan.pk,
        "industry_chain": "ceramics",
    }
    data.update(overrides)
    return data


def test_console_form_shows_the_credit_code_error_then_saves(personas):
    client = personas.client("officer")
    good = _form(personas)["credit_code"]
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(
        reverse("core:organization_create") + "?lang=en", _form(personas, credit_code=bad)
    )
    assert response.status_code == 200
    assert "check character" in response.content.decode()
    assert not Organization.objects.filter(name="株洲网页注册有限公司").exists()
    response = client.post(reverse("core:organization_create"), _form(personas))
    assert response.status_code == 302
    assert Organization.objects.filter(name="株洲网页注册有限公司", credit_code=good).exists()


def test_console_form_reports_a_duplicate_on_its_field(personas):
    client = personas.client("officer")
    response = client.post(
        reverse("core:organization_create") + "?lang=en",
        _form(personas, name=personas.org_b.name),
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()


def test_htmx_search_returns_only_the_table(personas):
    response = personas.client("officer").get(
        reverse("core:organization_list"), {"q": "甲测试"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert personas.org_a.name in body
    assert personas.org_b.name not in body


def test_audit_trail_keeps_who_when_and_what_changed(personas):
    services.update_organization(personas.officer, personas.org_a, {"address": "天元区珠江北路1号"})
    history = personas.org_a.history.order_by("history_date")
    assert [row.history_type for row in history] == ["+", "~"]
    latest = history.last()
    assert latest.history_user == personas.officer
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("address", "", "天元区珠江北路1号")
    ]
    page = personas.client("officer").get(reverse("core:audit_log") + "?lang=en").content.decode()
    assert "天元区珠江北路1号" in page
    assert "officer" in page


def test_web_edits_record_the_logged_in_user(personas):
    client = personas.client("officer")
    data = _form(personas, name=personas.org_b.name, credit_code=personas.org_b.credit_code)
    data["region"] = personas.shifeng.pk
    data["address"] = "石峰区田心大道"
    response = client.post(reverse("core:organization_edit", args=[personas.org_b.pk]), data)
    assert response.status_code == 302
    assert personas.org_b.history.latest().history_user == personas.officer


def _template():
    return MessageTemplate.objects.create(
        code="test-notice",
        subject_zh="{{ name }} 的通知",
        body_zh="您好，{{ name }}。",
        subject_en="Notice for {{ name }}",
        body_en="Hello, {{ name }}.",
        channels=["email", "sms"],
    )


def test_notify_uses_the_recipients_language_and_channels(
    personas, caplog, django_capture_on_commit_callbacks
):
    _template()
    personas.alice.email = "alice@example.invalid"
    personas.alice.phone = "13800000000"
    personas.alice.save()
    personas.bob.language = "en"
    personas.bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        inbox = notifications.notify(
            [personas.alice, personas.bob], "test-notice", {"name": "测试"}
        )
    assert [n.subject for n in inbox] == ["测试 的通知", "Notice for 测试"]
    assert mail.outbox == []  # queued, not sent in the request
    with caplog.at_level("INFO", logger="zhizao.core.notifications"):
        assert run_queued_tasks() == 2  # bob has no e-mail address and no phone
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.invalid"]
    assert any("sms to alice" in record.message for record in caplog.records)
    assert set(
        MessageDelivery.objects.filter(recipient=personas.alice).values_list("channel", "status")
    ) == {(Channel.EMAIL, DeliveryStatus.SENT), (Channel.SMS, DeliveryStatus.SENT)}
    assert set(
        Notification.objects.filter(recipient=personas.alice).values_list("channel", flat=True)
    ) == {Channel.INBOX}
    assert notifications.unread_count(personas.alice) == 1


def test_inbox_page_lists_and_marks_read(personas):
    _template()
    notifications.notify([personas.alice], "test-notice", {"name": "甲"})
    client = personas.client("alice")
    assert "甲 的通知" in client.get(reverse("core:inbox")).content.decode()
    client.post(reverse("core:inbox"))
    assert notifications.unread_count(personas.alice) == 0
