"""Submissions: the rules, evidence, review, the lock and its audit, scoping and messages, on
records the tests make."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhizao.core.models import MessageDelivery, Notification
from zhizao.plans import services
from zhizao.plans.choices import SubmissionStatus
from zhizao.plans.models import Submission, SubmissionValue
from zhizao.plans.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_set(personas):
    return factories.education_data_set(personas.department)


@pytest.fixture
def last_year(data_set):
    return factories.approved(data_set, "2020", (8000, ""), (90, ""))


def _draft(personas, data_set, *values):
    submission = services.open_submission(personas.clerk, data_set, "2021")
    services.enter_values(personas.clerk, submission, factories.entries(data_set, *values))
    return submission


def test_range_and_comparison_rules_block_submission(personas, data_set):
    submission = _draft(personas, data_set, (120000, ""), (-1, ""))
    services.add_evidence(personas.clerk, submission, factories.pdf())
    with pytest.raises(ValidationError) as raised:
        services.submit_submission(personas.clerk, submission)
    places, classes = data_set.elements.order_by("order")
    errors = raised.value.message_dict
    assert "above the highest value allowed, 100000" in errors[f"value_{places.pk}"][0]
    assert "below the lowest value allowed, 0" in errors[f"value_{classes.pk}"][0]
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


def test_comparison_with_another_figure(personas, data_set):
    submission = _draft(personas, data_set, (10, ""), (11, ""))
    services.add_evidence(personas.clerk, submission, factories.pdf())
    with pytest.raises(ValidationError, match=r"must be at most .*\(10"):
        services.submit_submission(personas.clerk, submission)


def test_a_large_change_needs_an_explanation_then_passes(personas, data_set, last_year):
    submission = _draft(personas, data_set, (15000, ""), (0, ""))  # +87.5% against 8000
    services.add_evidence(personas.clerk, submission, factories.pdf())
    places = data_set.elements.get(order=0)
    with pytest.raises(ValidationError) as raised:
        services.submit_submission(personas.clerk, submission)
    message = raised.value.message_dict[f"explanation_{places.pk}"][0]
    assert "from 8000.00 in 2020 to 15000.00 (+87.5%)" in message
    services.enter_values(
        personas.clerk, submission, factories.entries(data_set, (15000, "扩容"), (0, ""))
    )
    submitted = services.submit_submission(personas.clerk, submission)
    assert submitted.status == SubmissionStatus.SUBMITTED


def test_a_small_change_needs_no_explanation(personas, data_set, last_year):
    submission = _draft(personas, data_set, (9000, ""), (50, ""))  # +12.5%
    services.add_evidence(personas.clerk, submission, factories.pdf())
    assert services.submit_submission(personas.clerk, submission).status == "submitted"


def test_submission_needs_evidence_and_evidence_must_be_a_pdf(personas, data_set):
    submission = _draft(personas, data_set, (100, ""), (1, ""))
    with pytest.raises(ValidationError, match="Attach at least one evidence document"):
        services.submit_submission(personas.clerk, submission)
    with pytest.raises(ValidationError, match="not a PDF file"):
        services.add_evidence(personas.clerk, submission, factories.pdf("fake.pdf", b"<html>"))
    assert not submission.evidence.exists()


def test_only_the_own_department_enters_and_only_city_staff_review(personas, data_set):
    for name in ("officer", "district_officer", "alice", "tester", "assessor"):
        with pytest.raises(PermissionDenied):
            services.open_submission(getattr(personas, name), data_set, "2021")
    submission = _draft(personas, data_set, (100, ""), (1, ""))
    services.add_evidence(personas.clerk, submission, factories.pdf())
    services.submit_submission(personas.clerk, submission)
    for name in ("clerk", "district_officer", "alice"):
        with pytest.raises(PermissionDenied):
            services.approve_submission(getattr(personas, name), submission)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED


def test_return_approve_lock_and_audited_unlock(
    personas, data_set, django_capture_on_commit_callbacks
):
    personas.officer.email = "officer@example.invalid"
    personas.officer.save()
    personas.clerk.email = "clerk@example.invalid"
    personas.clerk.save()
    submission = _draft(personas, data_set, (100, ""), (1, ""))
    services.add_evidence(personas.clerk, submission, factories.pdf())
    with django_capture_on_commit_callbacks() as queued:
        services.submit_submission(personas.clerk, submission)
    assert len(queued) == 1
    assert MessageDelivery.objects.get().address == "officer@example.invalid"
    with pytest.raises(ValidationError, match="reason"):
        services.return_submission(personas.officer, submission, "  ")
    returned = services.return_submission(personas.officer, submission, "学位数与台账不符")
    assert Notification.objects.filter(recipient=personas.clerk).count() == 1
    row = returned.history.latest()
    assert (row.history_user, row.history_change_reason) == (personas.officer, "学位数与台账不符")
    services.enter_values(personas.clerk, returned, factories.entries(data_set, (120, ""), (1, "")))
    services.submit_submission(personas.clerk, returned)
    approved = services.approve_submission(personas.officer, returned)
    assert approved.is_locked
    with pytest.raises(ValidationError, match="locked"):
        services.enter_values(
            personas.clerk, approved, factories.entries(data_set, (1, ""), (1, ""))
        )
    with pytest.raises(ValidationError, match="locked"):
        services.add_evidence(personas.clerk, approved, factories.pdf())
    with pytest.raises(PermissionDenied):
        services.unlock_submission(personas.clerk, approved, "自己解锁")
    unlocked = services.unlock_submission(personas.officer, approved, "更正口径")
    row = unlocked.history.latest()
    assert (row.history_user, row.history_change_reason) == (personas.officer, "unlock: 更正口径")
    assert unlocked.status == SubmissionStatus.RETURNED
    assert SubmissionValue.objects.approved().count() == 0  # no longer counted


def test_a_failed_submission_queues_no_message(
    personas, data_set, django_capture_on_commit_callbacks
):
    submission = _draft(personas, data_set, (100, ""), (1, ""))
    with django_capture_on_commit_callbacks() as queued, pytest.raises(ValidationError):
        services.submit_submission(personas.clerk, submission)
    assert queued == []
    assert not Notification.objects.exists()


def test_department_sees_only_its_own_submissions(personas, data_set):
    other = factories.education_data_set(
        factories.department("另一部门", personas.city), suffix="（另）"
    )
    own = factories.approved(data_set, "2020", (1, ""), (0, ""))
    theirs = factories.approved(other, "2020", (1, ""), (0, ""))
    assert list(Submission.objects.visible_to(personas.clerk)) == [own]
    assert set(Submission.objects.visible_to(personas.officer)) == {own, theirs}
    assert not Submission.objects.visible_to(personas.district_officer).exists()
    body = personas.client("clerk").get("/api/v1/plans/submissions").json()
    assert [row["id"] for row in body["items"]] == [own.pk]


def test_completeness_counts_submitted_approved_and_overdue(personas, data_set):
    from datetime import date

    factories.approved(data_set, "2020", (1, ""), (0, ""))
    draft = _draft(personas, data_set, (5, ""), (0, ""))
    assert draft.period == "2021"
    rows = services.completeness(personas.officer, 2021, today=date(2022, 3, 1))
    assert [
        (row.period, row.expected, row.submitted, row.approved, row.overdue) for row in rows
    ] == [("2021", 1, 0, 0, 1)]
    rows = services.completeness(personas.officer, 2020, today=date(2022, 3, 1))
    assert [(row.expected, row.submitted, row.approved, row.overdue) for row in rows] == [
        (1, 1, 1, 0)
    ]
    not_due = services.completeness(personas.officer, 2021, today=date(2022, 1, 15))
    assert not_due[0].overdue == 0  # due 30 days after the year ends
    assert services.completeness(personas.clerk, 2021, today=date(2022, 3, 1))[0].expected == 1


def test_value_must_be_present(personas, data_set):
    submission = _draft(personas, data_set, (None, ""), (1, ""))
    services.add_evidence(personas.clerk, submission, factories.pdf())
    with pytest.raises(ValidationError, match="enter a value"):
        services.submit_submission(personas.clerk, submission)
    assert Decimal(1) in submission.values.values_list("value", flat=True)


def test_entry_page_shows_a_bad_evidence_file_and_the_rules(personas, data_set):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    places, classes = data_set.elements.order_by("order")
    response = personas.client("clerk").post(
        reverse("plans:entry", args=[data_set.pk, "2021"]),
        {
            f"value_{places.pk}": "100",
            f"value_{classes.pk}": "101",
            "evidence": SimpleUploadedFile("scan.pdf", b"GIF89a"),
            "submit": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "scan.pdf is not a PDF file" in html
    submission = Submission.objects.get(data_set=data_set, period="2021")
    assert submission.status == SubmissionStatus.DRAFT
    assert not submission.evidence.exists()
