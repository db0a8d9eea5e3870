"""``zhizao backup [-o FILE]``: the database and every uploaded file in one self-checking archive
(docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhizao.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            help="archive to write (default: <data dir>/backups/zhizao-YYYYMMDD-HHMMSS.tar)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        default = Path(settings.DATA_DIR) / "backups" / f"zhizao-{stamp}.tar"
        output = Path(options["output"]) if options["output"] else default
        try:
            summary = backup(output)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        from zhizao.security import services as events
        from zhizao.security.choices import EventKind

        events.record(
            EventKind.BACKUP,
            subject="zhizao backup",
            object=str(summary.path),
            detail={"tables": summary.tables, "rows": summary.rows, "files": summary.files},
        )
        self.stdout.write(
            f"{summary.path}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.files} uploaded files, {summary.size} bytes"
        )
