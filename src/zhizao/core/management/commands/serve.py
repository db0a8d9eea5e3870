"""``zhizao serve``: the production server (gunicorn, static files through whitenoise) and,
beside it, the background task worker (``db_worker``), both children of this command.

One command serves everything the embedded default needs: the task queue lives in the database,
so no other server runs. Stopping ``serve`` (Ctrl-C, SIGTERM) stops both children; if one of
them exits on its own, the other is stopped too and ``serve`` exits with its status, so a
process supervisor (systemd, a container runtime) sees the failure. On Linux the children also
get SIGTERM if ``serve`` itself is killed outright.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

STOP_TIMEOUT_SECONDS = 20


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: ask the kernel to send SIGTERM to this child when its parent dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class Command(BaseCommand):
    help = "Serve Zhizao with gunicorn (static files via whitenoise) and run the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ZHIZAO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ZHIZAO_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ZHIZAO_WORKERS", "2"))
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Do not start the task worker (when `zhizao db_worker` runs elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind = f"{options['host']}:{options['port']}"
        web_argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "zhizao.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        worker_argv = [sys.executable, "-m", "zhizao.cli", "db_worker", "--queue-name", "*"]
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, _frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            children["web server"] = subprocess.Popen(web_argv, preexec_fn=_die_with_parent)
            if not options["no_task_worker"]:
                children["task worker"] = subprocess.Popen(worker_argv, preexec_fn=_die_with_parent)
            described = ", ".join(f"{name} pid {child.pid}" for name, child in children.items())
            self.stdout.write(f"Zhizao is serving http://{bind}/  ({described}; Ctrl-C to stop)")
            self.stdout.flush()
            status = 0
            while not stopping:
                exited = [
                    (name, child) for name, child in children.items() if child.poll() is not None
                ]
                if exited:
                    name, child = exited[0]
                    status = child.returncode or 1
                    self.stderr.write(f"zhizao serve: the {name} exited ({child.returncode})")
                    break
                time.sleep(0.2)
        finally:
            _stop_all(children.values())
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if status:
            raise SystemExit(status)


def _stop_all(children: Any) -> None:
    """SIGTERM each running child, wait for it, SIGKILL what does not stop in time."""
    running = [child for child in children if child.poll() is None]
    for child in running:
        child.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in running:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
