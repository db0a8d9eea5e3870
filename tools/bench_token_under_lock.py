"""Measure a bearer-token GET while another connection holds SQLite's write lock (as a long
import does), on a throw-away file database with the project's SQLite settings (WAL, busy
timeout). Usage: ``.venv/bin/python tools/bench_token_under_lock.py [seconds to hold]``.

Before issue 10's fix every token request wrote ``last_used_at``, so it waited the whole busy
timeout behind the lock and failed with "database is locked"; now a token used within the
minute reads only, and a due write waits at most 0.1 s for the lock and never fails it."""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path


def main() -> None:
    hold_seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    directory = Path(tempfile.mkdtemp(prefix="zhizao-bench-"))
    database = directory / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["ZHIZAO_DATA_DIR"] = str(directory)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from zhizao.core import services
    from zhizao.core.choices import Role
    from zhizao.core.models import ApiToken

    call_command("migrate", verbosity=0)
    user = services.create_user(username="bench", password="bench-password", role=Role.ASSESSOR)
    raw = services.issue_api_token(user, user, "bench")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    def timed_get_under_lock() -> tuple[int, float]:
        locked = threading.Event()

        def hold() -> None:
            other = sqlite3.connect(database, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # the write lock, as an import's transaction holds
            locked.set()
            time.sleep(hold_seconds)
            other.execute("COMMIT")
            other.close()

        holder = threading.Thread(target=hold)
        holder.start()
        locked.wait()
        start = time.perf_counter()
        status = client.get("/api/v1/me", headers=headers).status_code
        elapsed = time.perf_counter() - start
        holder.join()
        return status, elapsed

    status, elapsed = timed_get_under_lock()
    print(
        f"token used within the minute: HTTP {status} in {elapsed:.3f} s "
        f"(lock held {hold_seconds} s)"
    )
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=5))
    status, elapsed = timed_get_under_lock()
    print(f"token due a last_used_at write: HTTP {status} in {elapsed:.3f} s (write skipped)")


if __name__ == "__main__":
    main()
