"""Who may see and change engineering records (``Project.objects.visible_to`` / ``editable_by``).

- Bureau staff: projects of their regions; record inspections and acceptances, link honours.
- The builder's, supervisor's and designer's users: their projects, read only.
- The public: the pass rates.
"""

from __future__ import annotations

from zhizao.core.permissions import AnyUser, is_staff_user, own_organization_id


def can_see_projects(user: AnyUser) -> bool:
    return is_staff_user(user) or own_organization_id(user) is not None
