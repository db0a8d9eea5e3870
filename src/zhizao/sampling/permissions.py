"""Who may see and change supervision-sampling records (the querysets' ``visible_to`` /
``editable_by`` hold the rules; these are the page-level questions).

- Bureau staff: plans, batches and cases of their regions; record batches, run the follow-up.
- A producer's or seller's users: their own batches and cases; ask for a re-test, report the
  rectification.
- The public: pass rates (published figures) only.
"""

from __future__ import annotations

from zhizao.core.permissions import AnyUser, is_staff_user, own_organization_id
from zhizao.sampling.models import NonConformityCase, SampledBatch


def can_manage(user: AnyUser) -> bool:
    """Record batches, import, read plans and early warnings: bureau staff."""
    return is_staff_user(user)


def can_see_batches(user: AnyUser) -> bool:
    return is_staff_user(user) or own_organization_id(user) is not None


def can_read_batch(user: AnyUser, batch: SampledBatch) -> bool:
    return SampledBatch.objects.visible_to(user).filter(pk=batch.pk).exists()


def can_read_case(user: AnyUser, case: NonConformityCase) -> bool:
    return can_read_batch(user, case.batch)
