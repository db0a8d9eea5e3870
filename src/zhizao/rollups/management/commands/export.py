"""``zhizao export --parquet DIR [--since DATE] [--city CODE …]``: the city's published records
in the open-data layout (docs/open-data-layout.md), incrementally and atomically."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.rollups.exporting import export_cities, export_city


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"--since {text!r}: give a date YYYY-MM-DD (日期格式应为 YYYY-MM-DD)", returncode=2
        ) from error


class Command(BaseCommand):
    help = "Export the city's published records as Parquet (Hive-style partitions)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--parquet", required=True, metavar="DIR", help="the export's root")
        parser.add_argument("--since", help="only partitions of this date's year and later")
        parser.add_argument(
            "--city", action="append", default=[], help="GB/T 2260 code or name (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = _date(options["since"]) if options["since"] else None
        cities = export_cities(options["city"])
        if not cities:
            raise CommandError("no such city (没有这个城市)", returncode=2)
        for city in cities:
            summary = export_city(options["parquet"], city, since=since)
            rows = ", ".join(f"{name} {count}" for name, count in sorted(summary.rows.items()))
            self.stdout.write(
                f"{city.code} {city.name}: {len(summary.written)} partitions written, "
                f"{len(summary.unchanged)} unchanged, {len(summary.removed)} removed ({rows})"
            )
