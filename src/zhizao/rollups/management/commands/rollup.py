"""``zhizao rollup DIR --engine local|dask [--scheduler URL] [--out OUT] --store``: the rollup of
many cities' exports (``zhizao.scaleout.rollup``), stored as figures of the provinces and the
nation (``services.store_rollup``, as the system actor). Without ``--store`` the console script
runs it with no database at all (``zhizao.scaleout.cli``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core.actors import system_actor
from zhizao.rollups import services
from zhizao.scaleout.cli import rollup_arguments, summary
from zhizao.scaleout.layout import LayoutError
from zhizao.scaleout.rollup import rollup


class Command(BaseCommand):
    help = "Roll up many cities' Parquet exports; --store writes province and nation figures."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        rollup_arguments(parser)
        parser.add_argument("--store", action="store_true", help="store the figures")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = rollup(options["directory"], options["engine"], options["scheduler"])
        except LayoutError as error:
            raise CommandError(str(error), returncode=2) from error
        if options["out"]:
            result.write(options["out"])
        self.stdout.write(summary(result, time.perf_counter() - started))
        if options["store"]:
            stored = services.store_rollup(
                system_actor(), result, source=str(Path(options["directory"]).resolve())
            )
            self.stdout.write(
                f"stored {stored.created} figures of {', '.join(map(str, stored.years))} "
                f"({stored.replaced} replaced)"
            )
