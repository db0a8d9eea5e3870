"""``zhizao onestop_overdue``: flag the one-stop requests past their promise and tell staff
(run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhizao.core.actors import system_actor
from zhizao.nqi.services import flag_overdue_requests


class Command(BaseCommand):
    help = "Flag overdue one-stop requests and tell bureau staff (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"flagged {flag_overdue_requests(system_actor())}")
