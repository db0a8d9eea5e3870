"""Who may see and change incident records (``Incident.objects.visible_to`` / ``editable_by``).

- Bureau staff: incidents of their regions; record them, confirm grades, handle and close.
- An organization's users: the incidents it is party to (read only).
- The public: the per-domain summary (years without a major incident) only.
"""

from __future__ import annotations

from zhizao.core.permissions import AnyUser, is_staff_user, own_organization_id


def can_record(user: AnyUser) -> bool:
    return is_staff_user(user)


def can_see_list(user: AnyUser) -> bool:
    return is_staff_user(user) or own_organization_id(user) is not None
