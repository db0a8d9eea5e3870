"""The public objection form of a public notice (公示): anyone may object while the window is
open; an open objection blocks the award."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhizao.awards import services
from zhizao.awards.choices import (
    OBJECTION_MAX_CHARS,
    ObjectionStatus,
    Outcome,
    ReviewStage,
    Status,
)
from zhizao.awards.models import Objection
from zhizao.awards.tests.conftest import run_stage, to_material
from zhizao.core.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed(personas, application, assessors):
    app = to_material(personas, application)
    app = run_stage(personas, app, ReviewStage.MATERIAL, assessors)
    app = run_stage(personas, app, ReviewStage.ONSITE, assessors[:2])
    return services.decide(personas.committee, app, Outcome.AWARD, "表决通过")


def _post(client, notice, app, **extra):
    data = {
        "application": app.pk,
        "objector_name": "王五",
        "objector_contact": "13800000000",
        "text": "该企业去年发生过质量事故。",
    }
    data.update(extra)
    return client.post(reverse("awards:notice_objection", args=[notice.pk]), data)


def test_notice_page_links_to_the_form(personas, noticed):
    page = personas.client("anonymous").get(reverse("awards:notices")).content.decode()
    assert reverse("awards:notice_objection", args=[noticed.notice.pk]) in page
    form = personas.client("anonymous").get(
        reverse("awards:notice_objection", args=[noticed.notice.pk])
    )
    assert form.status_code == 200
    assert 'id="objection-form"' in form.content.decode()


def test_anonymous_objection_inside_the_window_is_stored_and_staff_notified(personas, noticed):
    response = _post(personas.client("anonymous"), noticed.notice, noticed)
    assert response.status_code == 302
    objection = Objection.objects.get(application=noticed)
    assert objection.objector_name == "王五"
    assert objection.objector_contact == "13800000000"
    assert objection.recorded_by is None
    assert objection.status == ObjectionStatus.OPEN
    notes = Notification.objects.filter(recipient=personas.officer, body__contains="王五")
    assert notes.count() == 1
    assert noticed.code in notes.get().subject
    assert not Notification.objects.filter(recipient=personas.bob, body__contains="王五").exists()
    # Staff see who objected and how to reach them; the public page does not show it.
    staff = personas.client("officer").get(reverse("awards:application_detail", args=[noticed.pk]))
    assert "13800000000" in staff.content.decode()
    public = personas.client("anonymous").get(reverse("awards:notices"))
    assert "13800000000" not in public.content.decode()


def test_signed_in_users_may_object_too(personas, noticed):
    assert _post(personas.client("bob"), noticed.notice, noticed).status_code == 302
    assert noticed.objections.count() == 1


def test_objection_outside_the_window_is_refused(personas, noticed):
    notice = noticed.notice
    notice.objection_ends_at = timezone.now() - dt.timedelta(minutes=1)
    notice.save()
    page = personas.client("anonymous").get(reverse("awards:notice_objection", args=[notice.pk]))
    content = page.content.decode()
    assert 'id="objection-form"' not in content
    assert "closed on" in content
    listing = personas.client("anonymous").get(reverse("awards:notices")).content.decode()
    assert reverse("awards:notice_objection", args=[notice.pk]) not in listing
    response = _post(personas.client("anonymous"), notice, noticed)
    assert response.status_code == 200
    assert "The objection window closed on" in response.content.decode()
    assert not Objection.objects.exists()
    with pytest.raises(ValidationError, match="objection window closed"):
        services.file_public_objection(
            noticed, objector_name="王五", objector_contact="138", text="异议"
        )


def test_objection_before_any_notice_is_refused(personas, application):
    with pytest.raises(ValidationError, match="not under public notice"):
        services.file_public_objection(
            application, objector_name="王五", objector_contact="138", text="异议"
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "   ", "Write the objection."),
        ("text", "x" * (OBJECTION_MAX_CHARS + 1), "at most 5000 are accepted"),
        ("text", "见 <script>alert(1)</script>", "HTML is not accepted"),
        ("text", '<a href="http://x">链接</a>', "HTML is not accepted"),
        ("objector_name", "", "Give your name."),
        ("objector_name", "<b>王</b>", "HTML or markup is not allowed"),
        ("objector_contact", " ", "so that staff can reach you"),
        ("objector_contact", "1" * 201, "At most 200 characters"),
    ],
)
def test_bad_objections_are_refused_on_their_field(personas, noticed, field, value, message):
    data = {"objector_name": "王五", "objector_contact": "13800000000", "text": "异议"}
    data[field] = value
    with pytest.raises(ValidationError) as caught:
        services.file_public_objection(
            noticed,
            objector_name=data["objector_name"],
            objector_contact=data["objector_contact"],
            text=data["text"],
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert not Objection.objects.exists()


def test_plain_comparisons_are_not_html(personas, noticed):
    objection = services.file_public_objection(
        noticed, objector_name="王五", objector_contact="138", text="合格率 < 90% 且 > 80%"
    )
    assert objection.text == "合格率 < 90% 且 > 80%"


def test_form_errors_are_shown_per_field(personas, noticed):
    response = _post(personas.client("anonymous"), noticed.notice, noticed, text="<b>x</b>")
    assert response.status_code == 200
    form = response.context["form"]
    assert "HTML is not accepted" in " ".join(form.errors["text"])
    response = _post(personas.client("anonymous"), noticed.notice, noticed, objector_name="")
    assert "objector_name" in response.context["form"].errors


def test_an_open_objection_blocks_the_award(personas, noticed):
    objection = services.file_public_objection(
        noticed, objector_name="王五", objector_contact="138", text="材料不实"
    )
    after_window = noticed.notice.objection_ends_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="An objection is still open"):
        services.transition(personas.officer, noticed, Status.AWARDED, now=after_window)
    services.resolve_objection(personas.officer, objection, upheld=False, resolution="经核查不属实")
    app = services.transition(personas.officer, noticed, Status.AWARDED, now=after_window)
    assert app.status == Status.AWARDED


def test_an_upheld_objection_ends_in_not_awarded(personas, noticed):
    objection = services.file_public_objection(
        noticed, objector_name="王五", objector_contact="138", text="发生过重大质量事故"
    )
    services.resolve_objection(personas.officer, objection, upheld=True, resolution="经核查属实")
    app = services.transition(personas.officer, noticed, Status.NOT_AWARDED, "异议成立")
    assert app.status == Status.NOT_AWARDED
