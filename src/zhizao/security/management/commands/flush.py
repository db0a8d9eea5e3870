"""Django's ``flush`` (empty every table), with the security log's append-only triggers lifted
for its duration and put back after (zhizao.security.triggers)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from zhizao.security import triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with triggers.lifted(connection):
            super().handle(**options)
