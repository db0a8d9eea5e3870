"""``zhizao demo``: load the demo city once (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core import demo


class Command(BaseCommand):
    help = "Load the demo city (Zhuzhou) once; data sets already loaded are skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", help="load only this data set (e.g. core, rapidtest)")
        parser.add_argument(
            "--logins", action="store_true", help="print the demo logins at the end"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError("the demo city is not loaded in production (生产环境不加载演示数据)")
        demo.load_all(self.stdout.write, only=options["only"])
        if options["logins"]:
            self.stdout.write(f"demo logins (password: {demo.DEMO_PASSWORD}):")
            for user in demo.demo_users():
                role = "superuser" if user.is_superuser else user.role
                where = f" · {user.organization.name}" if user.organization else ""
                where += f" · {user.region.name}" if user.region else ""
                self.stdout.write(f"  {user.username:<14} {role}{where}")
