"""Who may do what with plans and department submissions (views, API, services and navigation
ask here).

- Plans, targets and actions are public policy documents: everyone reads the plan pages.
- Tasks and their progress: bureau staff of the plan's region and the departments named on the
  task; the lead department reports progress.
- Submissions: a department user (role ``department``) enters and submits its own department's;
  bureau staff of the department's region review, return, approve and unlock them.
"""

from __future__ import annotations

from zhizao.core.choices import Role
from zhizao.core.permissions import AnyUser, is_staff_user, staff_regions
from zhizao.plans.models import DataSet, Submission, Task


def is_department_user(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and user.role == Role.DEPARTMENT and user.organization_id is not None
    )


def can_use_submissions(user: AnyUser) -> bool:
    """The submissions pages: department users and bureau staff."""
    return is_department_user(user) or is_staff_user(user)


def can_view_completeness(user: AnyUser) -> bool:
    return is_staff_user(user)


def can_view_task(user: AnyUser, task: Task) -> bool:
    return Task.objects.visible_to(user).filter(pk=task.pk).exists()


def can_report_progress(user: AnyUser, task: Task) -> bool:
    return Task.objects.reportable_by(user).filter(pk=task.pk).exists()


def can_enter(user: AnyUser, data_set: DataSet) -> bool:
    """Values are entered by the data set's own department (and a superuser)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return is_department_user(user) and user.organization_id == data_set.department_id


def can_review(user: AnyUser, data_set: DataSet) -> bool:
    """Bureau staff of the department's region review, approve and unlock."""
    return (
        is_staff_user(user)
        and staff_regions(user).filter(pk=data_set.department.region_id).exists()
    )


def can_view_submission(user: AnyUser, submission: Submission) -> bool:
    return Submission.objects.visible_to(user).filter(pk=submission.pk).exists()


def can_view_data_set(user: AnyUser, data_set: DataSet) -> bool:
    return DataSet.objects.visible_to(user).filter(pk=data_set.pk).exists()
