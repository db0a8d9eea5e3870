"""withdraw_honour: the worked example of the service contract (docs/decisions/0004)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhizao.core.models import MessageDelivery, Notification
from zhizao.registry import services
from zhizao.registry.models import Honour

pytestmark = pytest.mark.django_db


@pytest.fixture
def honour(personas):
    return services.create_honour(
        personas.officer,
        {
            "kind": "well_known_trademark",
            "holder_kind": "product",
            "holder_name": "甲牌",
            "organization": personas.org_a,
            "city": personas.city,
        },
    )


def test_only_staff_of_the_honours_city_may_withdraw_it(personas, honour):
    for name in ("district_officer", "alice", "tester", "assessor", "committee"):
        with pytest.raises(PermissionDenied):
            services.withdraw_honour(getattr(personas, name), honour, "商标注销")
    assert Honour.objects.get(pk=honour.pk).revoked_at is None


def test_withdrawal_is_audited_and_told_after_commit(
    personas, honour, django_capture_on_commit_callbacks
):
    personas.alice.email = "alice@example.invalid"
    personas.alice.save()
    with django_capture_on_commit_callbacks() as queued:
        withdrawn = services.withdraw_honour(personas.officer, honour, "商标注销")
    assert withdrawn.revoked_at is not None
    row = withdrawn.history.latest()
    assert (row.history_user, row.history_change_reason) == (personas.officer, "商标注销")
    assert Notification.objects.filter(recipient=personas.alice).count() == 1
    delivery = MessageDelivery.objects.get()
    assert (delivery.address, delivery.status) == ("alice@example.invalid", "pending")
    assert len(queued) == 1  # the e-mail leaves only when the withdrawal commits
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.withdraw_honour(personas.officer, honour, "再次")


def test_a_failed_withdrawal_tells_no_one(personas, honour, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued, pytest.raises(ValidationError):
        services.withdraw_honour(personas.officer, honour, "   ")
    assert (len(queued), Notification.objects.count(), MessageDelivery.objects.count()) == (0, 0, 0)
