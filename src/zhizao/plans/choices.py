"""Choices and codes of plans, tasks and department submissions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")


class PlanKind(models.TextChoices):
    PLAN = "plan", _("Plan (规划)")
    IMPLEMENTATION = "implementation", _("Implementation plan (实施方案)")
    ACTION_PLAN = "action_plan", _("Action plan (行动方案)")
    MEASURES = "measures", _("Policy measures (政策措施)")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SUSPENDED = "suspended", _("Suspended")


OPEN_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class PeriodType(models.TextChoices):
    """DHIS2's period types and ISO-like identifiers: ``2021``, ``2021Q1``, ``202103``."""

    YEARLY = "yearly", _("Year")
    QUARTERLY = "quarterly", _("Quarter")
    MONTHLY = "monthly", _("Month")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved and locked")


EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Comparison(models.TextChoices):
    """A value compared with another element of the same data set."""

    NONE = "", _("No comparison")
    LTE = "lte", _("at most")
    GTE = "gte", _("at least")


class Aggregation(models.TextChoices):
    """How a figure of a year is made from that year's approved periods."""

    SUM = "sum", _("Sum of the year's periods")
    LAST = "last", _("The year's last period")


# Message templates (added by migration 0002_messages).
MSG_TASK_OVERDUE = "plans_task_overdue"
MSG_TARGET_OFF_TRACK = "plans_target_off_track"
MSG_SUBMISSION_SUBMITTED = "plans_submission_submitted"
MSG_SUBMISSION_RETURNED = "plans_submission_returned"
MSG_SUBMISSION_APPROVED = "plans_submission_approved"

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
