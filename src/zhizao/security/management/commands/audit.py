"""``zhizao audit verify``: recompute the security log's hash chain (docs/security.md); exit 2
and name the first event that does not match if it was tampered with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.security.services import verify


class Command(BaseCommand):
    help = "Verify the security audit log's hash chain (append-only, tamper-evident)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.intact:
            raise CommandError(
                f"security log tampered with: {result.reason_en} "
                f"(安全审计日志被篡改：{result.reason_zh})",
                returncode=2,
            )
        self.stdout.write(f"security log intact: {result.events} events (安全审计日志完整)")
