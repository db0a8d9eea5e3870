"""The supervision-sampling pages in each user's console (core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.navigation import ConsoleLink, register
from zhizao.sampling import permissions

GROUP = _("Supervision sampling")

register(
    ConsoleLink("sampling:index", _("Pass rates"), lambda user: True, GROUP, 40),
    ConsoleLink("sampling:batches", _("Sampled batches"), permissions.can_see_batches, GROUP, 41),
    ConsoleLink("sampling:batch_new", _("Record a batch"), permissions.can_manage, GROUP, 42),
    ConsoleLink("sampling:upload", _("Import lab results"), permissions.can_manage, GROUP, 43),
    ConsoleLink(
        "sampling:cases", _("Non-conformity cases"), permissions.can_see_batches, GROUP, 44
    ),
    ConsoleLink("sampling:plans", _("Sampling plans"), permissions.can_manage, GROUP, 45),
    ConsoleLink("sampling:warnings", _("Early warnings"), permissions.can_manage, GROUP, 46),
)
