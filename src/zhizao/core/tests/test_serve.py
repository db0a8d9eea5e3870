"""``zhizao serve`` runs the web server and the task worker as its children, and stopping it
stops both (issue 9). A real process tree on a free port, against its own SQLite database."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ENQUEUE = """
from zhizao.core.models import MessageDelivery, User
from zhizao.core.notifications import enqueue_delivery
user = User.objects.create(username="serve-test", email="serve@example.invalid")
delivery = MessageDelivery.objects.create(
    recipient=user, channel="email", address=user.email, subject="s", body="b"
)
enqueue_delivery(delivery.pk)
print(delivery.pk)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="zhizao.settings",
        ZHIZAO_DATA_DIR=str(data_dir),
        ZHIZAO_MANIFEST_STATIC="false",
        ZHIZAO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return env


def _zhizao(*args: str) -> list[str]:
    return [sys.executable, "-m", "zhizao.cli", *args]


def _alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped by init, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _wait(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(json.load(response)["status"] == "ok")
    except OSError:
        return False


def test_serve_starts_the_web_server_and_the_worker_and_stops_both(tmp_path):
    env = _env(tmp_path)
    subprocess.run(_zhizao("migrate", "--noinput", "-v0"), env=env, check=True, timeout=180)
    port = _free_port()
    serve = subprocess.Popen(
        _zhizao("serve", "--port", str(port), "--workers", "1"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        banner = serve.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in banner, banner
        pids = {
            name: int(pid)
            for name, pid in (
                part.strip().rsplit(" pid ", 1)
                for part in banner.split("(", 1)[1].split(";")[0].split(",")
            )
        }
        assert set(pids) == {"web server", "task worker"}
        assert _wait(lambda: _healthy(f"http://127.0.0.1:{port}/healthz"), 60)

        enqueued = subprocess.run(
            _zhizao("shell", "-c", ENQUEUE),
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        delivery_id = int(enqueued.stdout.strip().splitlines()[-1])

        def status() -> tuple[str, str]:
            with sqlite3.connect(tmp_path / "zhizao.sqlite3", timeout=10) as db:
                delivery = db.execute(
                    "SELECT status FROM core_messagedelivery WHERE id = ?", (delivery_id,)
                ).fetchone()[0]
                task = db.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult"
                ).fetchone()[0]
            return delivery, task

        assert _wait(lambda: status() == ("sent", "SUCCEEDED"), 60), status()
        assert all(_alive(pid) for pid in pids.values())
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    assert serve.returncode == 0
    assert _wait(lambda: not any(_alive(pid) for pid in pids.values()), 10), pids
