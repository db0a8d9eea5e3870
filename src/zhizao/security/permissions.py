"""Who may do what with accounts and the security log (三员分立, GB/T 22239-2019 level 3;
docs/security.md "Roles"). The pages, the services and the navigation ask here.

- The system administrator (系统管理员) keeps the accounts (creates them, sets their region or
  organization, activates and deactivates them) and the organizations; it cannot grant a role,
  nor read or export the security log.
- The security administrator (安全管理员) grants and withdraws roles (never its own), lifts
  lockouts and owns the password policy; it changes no business record and cannot read the log.
- The audit administrator (审计管理员) reads and exports the security log and the records'
  history and verifies the log's chain; it changes nothing.
- The Django superuser holds none of these pages: it only starts an empty install
  (``zhizao bootstrap-admins`` then creates the three administrators).
"""

from __future__ import annotations

from zhizao.core.choices import Role
from zhizao.core.permissions import AnyUser


def _holds(user: AnyUser, role: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == role)


def is_system_admin(user: AnyUser) -> bool:
    return _holds(user, Role.SYSTEM_ADMIN)


def is_security_admin(user: AnyUser) -> bool:
    return _holds(user, Role.SECURITY_ADMIN)


def is_audit_admin(user: AnyUser) -> bool:
    return _holds(user, Role.AUDIT_ADMIN)


def can_read_security_log(user: AnyUser) -> bool:
    """Read, export and verify the security log: the audit administrator only."""
    return is_audit_admin(user)


def can_manage_accounts(user: AnyUser) -> bool:
    """Create accounts and (de)activate them: the system administrator."""
    return is_system_admin(user)


def can_assign_roles(user: AnyUser) -> bool:
    """Grant and withdraw roles, lift lockouts: the security administrator."""
    return is_security_admin(user)


def can_list_accounts(user: AnyUser) -> bool:
    return can_manage_accounts(user) or can_assign_roles(user)
