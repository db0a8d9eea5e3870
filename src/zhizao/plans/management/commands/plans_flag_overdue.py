"""``zhizao plans_flag_overdue [--today YYYY-MM-DD]``: tell the bureau about tasks past their
deadline and targets off their trajectory (once each; run it daily, e.g. from cron)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core.actors import system_actor
from zhizao.plans import services


class Command(BaseCommand):
    help = "Flag overdue plan tasks and off-track targets to the bureau (notifications)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to judge by (default: today, local time)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    "--today must be YYYY-MM-DD (日期格式应为 YYYY-MM-DD)"
                ) from error
        flagged = services.flag_overdue(system_actor(), today)
        self.stdout.write(
            f"flagged {flagged.tasks} overdue tasks, {flagged.targets} off-track targets"
        )
