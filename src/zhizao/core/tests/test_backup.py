"""``zhizao backup`` / ``zhizao restore`` round trip on the test's own database (SQLite or
PostgreSQL, whichever the suite runs on), with uploaded files: every table's row count and every
file's checksum are equal after the restore; a damaged archive, a path that leaves the media
directory and a non-empty target are refused, and nothing is written."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhizao.core import backup as backups
from zhizao.core.models import Organization
from zhizao.core.testing import make_organization

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _target(tmp_path: Path) -> tuple[str, Callable[[], None]]:
    """A fresh, empty database of the suite's vendor: (url, drop)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    params = connection.settings_dict
    name = f"{params['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = backups._libpq_url({**params, "NAME": "postgres"})
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return backups._libpq_url({**params, "NAME": name}), drop


def _counts_at(url: str) -> dict[str, int]:
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as lite:
            cursor = lite.cursor()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            names = [row[0] for row in cursor.fetchall() if not row[0].startswith("sqlite_")]
            return backups.table_counts(cursor, names)
    with psycopg.connect(url) as conn, conn.cursor() as pg:
        pg.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        return backups.table_counts(pg, [row[0] for row in pg.fetchall()])


def _digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def deployment(settings, tmp_path, city):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = settings.MEDIA_ROOT / "awards" / "2021"
    folder.mkdir(parents=True)
    (folder / "申报书.pdf").write_bytes(b"%PDF-1.7\n" + b"x" * 5000)
    (settings.MEDIA_ROOT / "photo.jpg").write_bytes(bytes(range(256)) * 40)
    for index in range(3):
        make_organization(f"备份测试企业{index}有限公司", city)
    with connection.cursor() as cursor:
        counts = backups.table_counts(cursor, connection.introspection.table_names(cursor))
    return counts


def test_a_round_trip_restores_every_row_and_file(deployment, tmp_path, settings):
    archive = tmp_path / "out" / "zhizao.tar"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert "2 uploaded files" in out.getvalue()
    manifest = backups.verify(archive)
    assert manifest["tables"] == deployment
    assert manifest["tables"]["core_organization"] == Organization.objects.count() >= 3
    url, drop = _target(tmp_path)
    try:
        restored_media = tmp_path / "restored-media"
        call_command(
            "restore", str(archive), "--database-url", url, "--media-root", str(restored_media),
            stdout=io.StringIO(),
        )  # fmt: skip
        restored = _counts_at(url)
        assert {table: restored[table] for table in deployment} == deployment
        assert _digests(restored_media) == _digests(Path(settings.MEDIA_ROOT))
        # The target is no longer empty: a second restore needs --force, then succeeds.
        with pytest.raises(CommandError, match=r"--force"):
            call_command("restore", str(archive), "--database-url", url, stdout=io.StringIO())
        call_command(
            "restore", str(archive), "--database-url", url, "--media-root", str(restored_media),
            "--force", stdout=io.StringIO(),
        )  # fmt: skip
        assert {table: _counts_at(url)[table] for table in deployment} == deployment
    finally:
        drop()


def _rewrite(archive: Path, damaged: Path, change: Callable[..., Any]) -> None:
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for info in source:
            data = source.extractfile(info).read()
            info, data = change(info, data)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))


def test_a_damaged_archive_is_refused_before_anything_is_written(deployment, tmp_path):
    archive = tmp_path / "zhizao.tar"
    backups.backup(archive)
    damaged = tmp_path / "damaged.tar"

    def flip(info, data):
        if info.name == "media/photo.jpg":
            data = b"\xff" + data[1:]
        return info, data

    _rewrite(archive, damaged, flip)
    url, drop = _target(tmp_path)
    try:
        with pytest.raises(CommandError, match=r"media/photo\.jpg: checksum does not match"):
            call_command("restore", str(damaged), "--database-url", url, stdout=io.StringIO())
        assert _counts_at(url) == {}
    finally:
        drop()


def test_a_path_out_of_the_media_directory_is_refused(deployment, tmp_path):
    archive = tmp_path / "zhizao.tar"
    backups.backup(archive)
    evil = tmp_path / "evil.tar"

    def escape(info, data):
        if info.name == backups.MANIFEST:
            manifest = json.loads(data)
            entry = manifest["members"].pop("media/photo.jpg")
            manifest["members"]["media/../../escaped.jpg"] = entry
            data = json.dumps(manifest).encode()
        elif info.name == "media/photo.jpg":
            info.name = "media/../../escaped.jpg"
        return info, data

    _rewrite(archive, evil, escape)
    url, drop = _target(tmp_path)
    try:
        with pytest.raises(CommandError, match="outside the media directory"):
            call_command(
                "restore", str(evil), "--database-url", url,
                "--media-root", str(tmp_path / "m" / "n"), stdout=io.StringIO(),
            )  # fmt: skip
        assert not (tmp_path / "escaped.jpg").exists()
    finally:
        drop()


def test_verify_only_reports_an_intact_archive(deployment, tmp_path):
    archive = tmp_path / "zhizao.tar"
    backups.backup(archive)
    out = io.StringIO()
    call_command("restore", str(archive), "--verify-only", stdout=out)
    assert f"{len(deployment)} tables" in out.getvalue()
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar"), stdout=io.StringIO())
