"""The three administrators' pages in their consoles (core.navigation); 三员分立."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhizao.core.choices import Role
from zhizao.core.navigation import ConsoleLink, register
from zhizao.security.permissions import (
    can_list_accounts,
    can_read_security_log,
    is_audit_admin,
)

register(
    ConsoleLink(
        "security:events",
        _("Security log"),
        can_read_security_log,
        _("Security administration"),
        90,
        landing_for=frozenset({Role.AUDIT_ADMIN}),
    ),
    ConsoleLink(
        "security:accounts",
        _("Accounts and roles"),
        can_list_accounts,
        _("Security administration"),
        91,
        landing_for=frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    ),
    # Bureau staff reach the records' history from their console's own link.
    ConsoleLink(
        "core:audit_log", _("Audit trail"), is_audit_admin, _("Security administration"), 92
    ),
)
