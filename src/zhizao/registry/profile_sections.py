"""The honours registry's section of the enterprise profile (public: standing honours)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.models import Organization
from zhizao.core.permissions import AnyUser
from zhizao.enterprise.profile import Row, Section, register
from zhizao.registry.services import organization_honours


def _honours(organization: Organization, user: AnyUser) -> list[Row]:
    return [
        {
            "honour": str(honour.get_kind_display()),
            "level": str(honour.get_level_display()),
            "year": honour.year,
            "holder": honour.holder_name,
            "synthetic": honour.is_synthetic,
        }
        for honour in organization_honours(organization)
    ]


register(
    Section(
        "honours",
        _("Quality honours"),
        20,
        private=False,
        columns=(
            ("honour", _("honour")),
            ("level", _("level")),
            ("year", _("year")),
            ("holder", _("holder")),
        ),
        rows=_honours,
        app="registry",
    )
)
