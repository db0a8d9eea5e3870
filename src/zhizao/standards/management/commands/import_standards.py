"""``zhizao import_standards FILE.csv|FILE.xlsx``: import standards with no user (the history
records none, as for the demo loader)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.standards.importing import ImportRefused, import_standards


class Command(BaseCommand):
    help = "Import standards from CSV or XLSX, all or nothing (columns: docs/standards.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV (UTF-8) or XLSX file")
        parser.add_argument("--synthetic", action="store_true", help="mark records synthetic")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            with path.open("rb") as handle:
                summary = import_standards(
                    None, handle, path.name, is_synthetic=options["synthetic"]
                )
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror} (无法读取文件)") from None
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"nothing imported: {len(refused.problems)} problem(s) (未导入任何记录)"
            ) from None
        self.stdout.write(
            f"created {summary.created}, updated {summary.updated}, drafters {summary.drafters}"
        )
