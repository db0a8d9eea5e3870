"""``zhizao report --city 株洲市 --year 2021 --format html|pdf|docx [--lang zh-hans|en]
[--snapshot ID] -o FILE``: the annual quality report from a snapshot (the published one, else
the latest, else one taken now)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core import figures
from zhizao.core.actors import system_actor
from zhizao.reports import rendering, services
from zhizao.reports.choices import ReportFormat, ReportLanguage


class Command(BaseCommand):
    help = "Render the annual quality report of a region and year as HTML, PDF or DOCX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", required=True, help="region name or GB/T 2260 code")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=ReportFormat.values, default=ReportFormat.HTML)
        parser.add_argument("--lang", choices=ReportLanguage.values, default=ReportLanguage.ZH_HANS)
        parser.add_argument("--snapshot", type=int, help="render this snapshot")
        parser.add_argument("--base-year", type=int, help="compare with this year")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        region = figures.find_region(options["city"])
        if region is None:
            raise CommandError(f"unknown region {options['city']!r} (未知行政区划)")
        try:
            snapshot = services.report_snapshot(
                system_actor(), region, options["year"], snapshot_id=options["snapshot"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        report = services.build_report(snapshot, options["lang"], base_year=options["base_year"])
        data = rendering.render(report, options["format"])
        target = Path(options["output"])
        target.write_bytes(data)
        self.stdout.write(
            f"{target}: {options['format']}, {len(data):,} bytes, snapshot #{snapshot.pk}"
        )
