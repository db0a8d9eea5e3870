"""``zhizao import_accreditations FILE.csv|FILE.xlsx``: import accreditations and their scope
lines, all or nothing, as the system actor (columns: docs/nqi.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.nqi.importing import import_accreditations
from zhizao.standards.importing import ImportRefused


class Command(BaseCommand):
    help = "Import accreditations and scope lines from CSV or XLSX, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV (UTF-8) or XLSX file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            with path.open("rb") as handle:
                summary = import_accreditations(None, handle, path.name)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror} (无法读取文件)") from None
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"nothing imported: {len(refused.problems)} problem(s) (未导入任何记录)"
            ) from None
        self.stdout.write(
            f"accreditations {summary.accreditations}, scope lines {summary.scope_lines}"
        )
