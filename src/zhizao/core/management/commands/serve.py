"""``zhizao serve``: the production server (gunicorn), static files through whitenoise."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Zhizao with gunicorn (static files via whitenoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ZHIZAO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ZHIZAO_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ZHIZAO_WORKERS", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Zhizao is serving http://{bind}/  (Ctrl-C to stop)")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "zhizao.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        sys.stdout.flush()
        os.execv(sys.executable, argv)
