"""The standards registry's section of the enterprise profile (public: standards the
organization led or joined in drafting)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.standards.models import StandardDrafter


def _drafted(organization: Organization, user: AnyUser) -> list[Row]:
    drafters = (
        StandardDrafter.objects.filter(organization=organization)
        .select_related("standard")
        .order_by("role", "standard__level", "standard__code")
    )
    return [
        {
            "code": drafter.standard.code,
            "title": drafter.standard.title,
            "level": str(drafter.standard.get_level_display()),
            "role": str(drafter.get_role_display()),
            "status": str(drafter.standard.get_status_display()),
            "synthetic": drafter.standard.is_synthetic,
        }
        for drafter in drafters
    ]


register(
    Section(
        "standards",
        _("Standards drafted"),
        30,
        private=False,
        columns=(
            ("code", _("standard code")),
            ("title", _("title")),
            ("level", _("level")),
            ("role", _("role")),
            ("status", _("status")),
        ),
        rows=_drafted,
        app="standards",
    )
)
