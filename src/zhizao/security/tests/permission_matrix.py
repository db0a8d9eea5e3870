"""The security pages' rows of the permission matrix (三员分立): the audit administrator alone
reads, exports and verifies the security log; the system administrator opens and closes
accounts; the security administrator grants roles and lifts lockouts; the superuser holds none
of them; everyone changes their own password."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from zhizao.core.testing import (
    LOGGED_IN,
    REDIRECT,
    Personas,
    operation,
    page,
)


def scenario(personas: Personas) -> SimpleNamespace:
    return SimpleNamespace(p=personas, target=personas.alice)


def _target(s: SimpleNamespace) -> dict[str, Any]:
    return {"pk": s.target.pk}


def _account(s: SimpleNamespace, persona: str) -> dict[str, Any]:
    return {"username": f"new-{persona}", "password": "Matrix-pass-4711", "email": ""}


AUDITOR = {"auditor"}
SYSADMIN = {"sysadmin"}
SECADMIN = {"secadmin"}

PERMISSIONS = [
    page("security:events", allow=AUDITOR),
    page("security:events_export", allow=AUDITOR),
    page("security:verify", method="post", allow=AUDITOR, ok=REDIRECT),
    page("security:accounts", allow=SYSADMIN | SECADMIN),
    page("security:account_create", allow=SYSADMIN),
    page("security:account_create", method="post", body=_account, allow=SYSADMIN, ok=REDIRECT),
    page(
        "security:account_role",
        kwargs=_target,
        method="post",
        body=lambda s, p: {"role": "assessor"},
        allow=SECADMIN,
        ok=REDIRECT,
    ),
    page("security:account_active", kwargs=_target, method="post", allow=SYSADMIN, ok=REDIRECT),
    page(
        "security:unlock",
        method="post",
        body=lambda s, p: {"username": "alice"},
        allow=SECADMIN,
        ok=REDIRECT,
    ),
    page("security:password_change", allow=LOGGED_IN),
    operation("GET /api/v1/security/events", allow=AUDITOR),
]
