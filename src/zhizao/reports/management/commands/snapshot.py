"""``zhizao snapshot --city 株洲市 --year 2021 [--recent] [--publish]``: compute (and publish)
the figures of a region and year; ``--recent`` (this year and the last, never published) is the
nightly recomputation (deploy/systemd/zhizao-snapshot.timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhizao.core import figures
from zhizao.core.actors import system_actor
from zhizao.reports import services


class Command(BaseCommand):
    help = "Compute a snapshot of every figure of a region and year; --publish publishes it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", required=True, help="region name or GB/T 2260 code")
        parser.add_argument("--year", type=int, action="append", default=[])
        parser.add_argument(
            "--recent",
            action="store_true",
            help="this year and the last (the nightly timer's recomputation; never publishes "
            "unless --publish)",
        )
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        region = figures.find_region(options["city"])
        if region is None:
            raise CommandError(f"unknown region {options['city']!r} (未知行政区划)")
        actor = system_actor()
        years = list(options["year"])
        if options["recent"]:
            today = timezone.localdate().year
            years += [today - 1, today]
        if not years:
            raise CommandError("name a --year or --recent (请指定年份)")
        for year in sorted(set(years)):
            snapshot = services.take_snapshot(actor, region, year)
            line = (
                f"{region.name} {year}: snapshot #{snapshot.pk}, {snapshot.figures.count()} figures"
            )
            previous = services.published_snapshot(region, year)
            if previous is not None:
                line += f", {len(services.changes(previous, snapshot))} changed since publication"
            if options["publish"]:
                services.publish(actor, snapshot)
                line += ", published"
            self.stdout.write(line)
