"""``zhizao import_rapidtests FILE.csv|FILE.xlsx``: import rapid-test records as the system
actor, all or nothing (the upload page's path, ``services.import_test_records``; columns:
docs/rapidtest.md). A scheduled import or a bulk load runs this; so do the fault tests, which
kill it at a random moment (docs/reliability.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core.actors import system_actor
from zhizao.core.models import Organization
from zhizao.rapidtest import services
from zhizao.rapidtest.choices import Source


class Command(BaseCommand):
    help = (
        "Import rapid-test records from CSV or XLSX, all or nothing (columns: docs/rapidtest.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV (UTF-8 or GBK) or XLSX file")
        parser.add_argument(
            "--market", help="credit code of the market, for a file without a market column"
        )
        parser.add_argument(
            "--source",
            choices=[Source.IMPORT, Source.DEMO],
            default=Source.IMPORT,
            help="import: a file of manual results (refused for instrument-only rooms); "
            "demo: a generated demo file, loaded as `zhizao demo` loads it",
        )
        parser.add_argument("--synthetic", action="store_true", help="mark records synthetic")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"cannot read {path}: no such file (无法读取文件)")
        market = None
        if options["market"]:
            market = Organization.objects.filter(credit_code=options["market"]).first()
            if market is None:
                raise CommandError(f"no market with credit code {options['market']} (无此市场)")
        outcome = services.import_test_records(
            system_actor(),
            str(path),
            file_name=path.name,
            market=market,
            source=options["source"],
            synthetic=options["synthetic"],
        )
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(f"row {error['row']}, {error['column']}: {error['message']}")
            raise CommandError(
                f"nothing imported: {len(outcome.errors)} problem(s) (未导入任何记录)"
            )
        if outcome.already_imported:
            self.stdout.write(f"already imported as batch {outcome.batch_id} (该文件已导入)")
            return
        self.stdout.write(f"imported {outcome.rows} rows as batch {outcome.batch_id}")
