"""``zhizao restore ARCHIVE [--database-url URL] [--media-root DIR] [--force]``: restore a
``zhizao backup`` archive and prove that every table has the rows it had (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "Restore a backup archive (checked against its manifest before and after)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="restore into this database (default: ours)")
        parser.add_argument("--media-root", help="unpack uploads here (default: MEDIA_ROOT)")
        parser.add_argument("--force", action="store_true", help="overwrite a non-empty target")
        parser.add_argument(
            "--verify-only", action="store_true", help="check the archive, restore nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file (文件不存在)", returncode=2)
        try:
            if options["verify_only"]:
                manifest = verify(path)
                self.stdout.write(
                    f"{path}: intact, {len(manifest['tables'])} tables, "
                    f"{sum(manifest['tables'].values())} rows"
                )
                return
            summary = restore(
                path,
                database_url=options["database_url"],
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                force=options["force"],
            )
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"restored {summary.tables} tables ({summary.rows} rows, counts equal the backup's) "
            f"and {summary.files} uploaded files"
        )
