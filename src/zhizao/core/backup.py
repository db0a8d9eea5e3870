"""Backup and restore of a whole deployment: the database and the uploaded files, in one archive
that proves itself on restore (``zhizao backup`` / ``zhizao restore``; docs/backup.md).

An archive is an uncompressed tar (uploads are mostly PDFs and images, which do not compress) of

- ``manifest.json``: the format version, when and from which database vendor it was made, each
  table's row count, and the size and SHA-256 of every other member;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server runs) or
  ``database.pgdump`` (``pg_dump --format=custom``, one consistent snapshot);
- ``media/<path>``: every file under ``MEDIA_ROOT``.

A restore checks every member against the manifest before it writes anything, writes the
database (SQLite: the file; PostgreSQL: ``pg_restore`` into an empty database, or with
``--force`` over an existing one), unpacks the uploads (refusing any path that would leave the
media directory), and then counts every table of the restored database against the manifest. Any
difference stops it with a :class:`BackupError` naming what differs, in both languages.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import dj_database_url
from django.conf import settings
from django.db import connection

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message is in English and Chinese."""

    def __init__(self, english: str, chinese: str) -> None:
        super().__init__(f"{english} ({chinese})")


@dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int
    files: int
    size: int


def _sha256(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    """Row count of each table through a DB-API cursor (SQLite, psycopg or Django's)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def _dump_database(workdir: Path) -> tuple[str, Path]:
    """A consistent copy of the database in ``workdir``: (archive member name, file)."""
    if connection.vendor == "sqlite":
        target = workdir / SQLITE_MEMBER
        connection.ensure_connection()
        raw = connection.connection
        with sqlite3.connect(target) as copy:
            raw.backup(copy)
        copy.close()
        return SQLITE_MEMBER, target
    if connection.vendor == "postgresql":
        target = workdir / POSTGRES_MEMBER
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={target}", _libpq_url(connection.settings_dict)])  # fmt: skip
        return POSTGRES_MEMBER, target
    raise BackupError(
        f"backups of {connection.vendor} databases are not supported",
        f"不支持备份 {connection.vendor} 数据库",
    )


def _libpq_url(settings_dict: dict[str, Any]) -> str:
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    address = f"{host}:{port}" if port else host
    return f"postgresql://{auth}{address}/{settings_dict['NAME']}"


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)",
            f"未安装 {command[0]}（Debian：apt-get install postgresql-client）",
        )
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise BackupError(f"{command[0]} failed: {message[0]}", f"{command[0]} 失败：{message[0]}")


def backup(output: Path) -> Summary:
    """Write the archive ``output`` (the database and every uploaded file)."""
    media_root = Path(settings.MEDIA_ROOT)
    with connection.cursor() as cursor:
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
    with tempfile.TemporaryDirectory(prefix="zhizao-backup-") as work:
        member, dump = _dump_database(Path(work))
        members: dict[str, dict[str, Any]] = {}
        files = [(member, dump)] + [
            (MEDIA_PREFIX + path.relative_to(media_root).as_posix(), path)
            for path in _media_files(media_root)
        ]
        for name, path in files:
            with path.open("rb") as handle:
                digest, size = _sha256(handle)
            members[name] = {"sha256": digest, "size": size}
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "database": member,
            "tables": counts,
            "members": members,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in files:
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)  # a reader never sees half an archive
    return Summary(output, len(counts), sum(counts.values()), len(files) - 1, output.stat().st_size)


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("the archive has no manifest.json", "备份文件中没有 manifest.json")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})",
            f"未知的备份格式 {manifest.get('format')!r}（应为 {FORMAT}）",
        )
    return manifest


def verify(path: Path) -> dict[str, Any]:
    """Check every member of the archive against its manifest; return the manifest."""
    with tarfile.open(path, "r:") as archive:
        manifest = read_manifest(archive)
        expected: dict[str, dict[str, Any]] = manifest["members"]
        seen = set()
        for info in archive:
            if info.name == MANIFEST:
                continue
            entry = expected.get(info.name)
            handle = archive.extractfile(info) if info.isfile() else None
            if entry is None or handle is None:
                raise BackupError(
                    f"{info.name}: not listed in the manifest", f"{info.name}：清单中没有此文件"
                )
            digest, size = _sha256(handle)
            if (digest, size) != (entry["sha256"], entry["size"]):
                raise BackupError(
                    f"{info.name}: checksum does not match the manifest (damaged archive)",
                    f"{info.name}：校验和与清单不符（备份文件已损坏）",
                )
            seen.add(info.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(
                f"missing from the archive: {', '.join(missing[:5])}",
                f"备份文件缺少：{'、'.join(missing[:5])}",
            )
    return manifest


def _safe_media_path(root: Path, name: str) -> Path:
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(
            f"{name}: a path outside the media directory", f"{name}：路径超出上传文件目录"
        )
    return root.joinpath(*relative.parts)


def restore(
    path: Path, *, database_url: str | None = None, media_root: Path | None = None,
    force: bool = False,
) -> Summary:  # fmt: skip
    """Restore the archive into ``database_url`` (default: this deployment's database) and
    ``media_root`` (default: ``MEDIA_ROOT``), then prove the row counts equal the manifest's."""
    manifest = verify(path)
    target: dict[str, Any] = dict(dj_database_url.parse(database_url or settings.DATABASE_URL))
    vendor = "sqlite" if "sqlite" in target["ENGINE"] else "postgresql"
    if vendor != manifest["vendor"]:
        raise BackupError(
            f"a {manifest['vendor']} backup cannot be restored into a {vendor} database",
            f"{manifest['vendor']} 的备份不能恢复到 {vendor} 数据库",
        )
    root = Path(media_root or settings.MEDIA_ROOT)
    with tarfile.open(path, "r:") as archive:  # every path is checked before anything is written
        for name in archive.getnames():
            if name.startswith(MEDIA_PREFIX):
                _safe_media_path(root, name)
    with tarfile.open(path, "r:") as archive, tempfile.TemporaryDirectory() as work:
        dump = Path(work) / manifest["database"]
        source = archive.extractfile(manifest["database"])
        assert source is not None  # verify() checked every member
        with dump.open("wb") as handle:
            shutil.copyfileobj(source, handle, CHUNK)
        counts = (
            _restore_sqlite(dump, Path(target["NAME"]), force)
            if vendor == "sqlite"
            else _restore_postgres(dump, target, list(manifest["tables"]), force)
        )
        files = 0
        for info in archive:
            if not info.name.startswith(MEDIA_PREFIX) or not info.isfile():
                continue
            destination = _safe_media_path(root, info.name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            member = archive.extractfile(info)
            assert member is not None
            with destination.open("wb") as handle:
                shutil.copyfileobj(member, handle, CHUNK)
            files += 1
    differing = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    if differing:
        table, (expected, found) = next(iter(sorted(differing.items())))
        raise BackupError(
            f"restored table {table} has {found} rows, the backup {expected} "
            f"({len(differing)} tables differ)",
            f"恢复后的表 {table} 有 {found} 行，备份中为 {expected} 行"
            f"（{len(differing)} 张表不一致）",
        )
    return Summary(path, len(counts), sum(counts.values()), files, path.stat().st_size)


def _restore_sqlite(dump: Path, target: Path, force: bool) -> dict[str, int]:
    if target.exists() and target.stat().st_size > 0 and not force:
        raise BackupError(
            f"{target} exists; stop the server and add --force to overwrite it",
            f"{target} 已存在；请先停止服务，再加 --force 覆盖",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, partial)
    partial.replace(target)
    with sqlite3.connect(target) as restored:
        cursor = restored.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in cursor.fetchall() if not row[0].startswith("sqlite_")]
        counts = table_counts(cursor, tables)
    restored.close()
    return counts


def _restore_postgres(
    dump: Path, target: dict[str, Any], tables: list[str], force: bool
) -> dict[str, int]:
    import psycopg

    url = _libpq_url(target)
    with psycopg.connect(url, autocommit=True) as conn:
        existing = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        if existing and existing[0] and not force:
            raise BackupError(
                f"database {target['NAME']} is not empty; add --force to replace its tables",
                f"数据库 {target['NAME']} 不为空；加 --force 以替换其中的表",
            )
    command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
               "--exit-on-error", f"--dbname={url}"]  # fmt: skip
    if force:
        command[1:1] = ["--clean", "--if-exists"]
    _run([*command, str(dump)])
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
        present = {row[0] for row in cursor.fetchall()}
        return table_counts(cursor, [table for table in tables if table in present])
