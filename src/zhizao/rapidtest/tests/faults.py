"""The fault drills of issue 20, shared by the fault tests (``test_faults.py``, small sizes, in
``make test``) and ``bench/stress.py`` (``make stress``, the issue's sizes): real processes, real
databases, real signals. docs/reliability.md says what each proves.

- :class:`PrivatePostgres`: a PostgreSQL cluster of the drill's own (``initdb`` in a temporary
  directory, its own port on the loopback, trust authentication), which the drill may restart;
  the shared server is never touched.
- :func:`kill_import_runs`: ``zhizao import_rapidtests`` of a demo-shaped file, killed with SIGKILL
  at random moments; after each kill the database holds the whole file or none of it and the
  rollups equal a recount.
- :func:`write_burst`: threads post instrument records to ``zhizao serve`` while the drill
  restarts PostgreSQL; every acknowledged (2xx) record must be stored afterwards.
- :func:`concurrent_retries`: the same instrument record id posted by 20 threads at once.

Run as a script (``python -m zhizao.rapidtest.tests.faults prepare|check …``) it is the child
process that prepares a database or checks it, so that each step has a fresh Django.
"""

from __future__ import annotations

import glob
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TESTER = "fault-tester"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def zhizao(*args: str) -> list[str]:
    return [sys.executable, "-m", "zhizao.cli", *args]


def child_env(db_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a child process on ``db_url``: the development settings (the
    production server is gunicorn either way), its own data directory."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    env.update(
        DJANGO_SETTINGS_MODULE="zhizao.settings",
        DATABASE_URL=db_url,
        ZHIZAO_DATA_DIR=str(data_dir),
        ZHIZAO_MANIFEST_STATIC="false",
        ZHIZAO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return env


# --- A private PostgreSQL cluster ----------------------------------------------------------------


def pg_bin() -> Path:
    """The newest installed PostgreSQL server binaries (Debian's layout). Missing is a failure:
    the drills need a server they may restart."""
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda p: int(Path(p).parent.name))
    for directory in reversed(found):
        if (Path(directory) / "initdb").exists():
            return Path(directory)
    raise RuntimeError(
        f"no PostgreSQL server binaries under {PG_BIN_GLOB} (install the postgresql package)"
    )


class PrivatePostgres:
    """A throw-away PostgreSQL cluster under a temporary directory, on a free loopback port.
    As root, the server runs as the ``postgres`` user (initdb refuses root)."""

    def __init__(self) -> None:
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="zhizao-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, user="postgres")
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *argv: str, timeout: float = 120) -> None:
        subprocess.run(
            [*self._as, *argv], check=True, timeout=timeout, capture_output=True, cwd=self.dir
        )

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "server.log"),
            "-o",
            options,
            "-w",
            *args,
        )

    def start(self) -> PrivatePostgres:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self._ctl("start")
        return self

    def restart(self) -> None:
        """Stop (fast: open transactions are rolled back, clients disconnected) and start."""
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self._ctl("-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres().start()
    try:
        yield cluster
    finally:
        cluster.stop()


# --- Databases: prepare, copy, check -------------------------------------------------------------


class Database:
    """The drills' database, prepared once (:meth:`prepare_template`) and copied per run: a
    SQLite file or a database of the private cluster (``CREATE DATABASE … TEMPLATE``)."""

    TEMPLATE = "faults_template"

    def __init__(self, workdir: Path, cluster: PrivatePostgres | None = None) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.cluster = cluster
        self.copies = 0

    @property
    def vendor(self) -> str:
        return "postgresql" if self.cluster else "sqlite"

    def url(self, name: str) -> str:
        if self.cluster:
            return self.cluster.url(name)
        return f"sqlite:///{self.workdir / (name + '.sqlite3')}"

    def prepare_template(self, csv_path: Path | None = None, rows: int = 0) -> dict[str, Any]:
        """Create and prepare the template (see :func:`prepare`); what it answered, with the
        file's path."""
        if self.cluster:
            self.cluster.sql(f'CREATE DATABASE "{self.TEMPLATE}"')
        prepared = prepare(self.url(self.TEMPLATE), self.workdir, csv_path, rows)
        return {**prepared, "csv": str(csv_path) if csv_path else ""}

    def copy(self) -> tuple[str, str]:
        """A fresh copy of the template: its name and URL."""
        self.copies += 1
        name = f"{self.TEMPLATE}_{self.copies}"
        if self.cluster:
            self.cluster.sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.TEMPLATE}"')
        else:
            source = sqlite3.connect(self.workdir / f"{self.TEMPLATE}.sqlite3")
            target = sqlite3.connect(self.workdir / f"{name}.sqlite3")
            with target:
                source.backup(target)
            source.close()
            target.close()
        return name, self.url(name)

    def drop(self, name: str) -> None:
        if self.cluster:
            self.cluster.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(self.workdir / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)


def _script(command: str, db_url: str, workdir: Path, *args: str, timeout: float = 3600) -> Any:
    """Run this module as a child process on ``db_url``; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "zhizao.rapidtest.tests.faults", command, *args],
        env=child_env(db_url, workdir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"{command} failed ({done.returncode}): {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(db_url: str, workdir: Path, csv_path: Path | None = None, rows: int = 0) -> Any:
    """Migrate ``db_url``, load the core demo, the demo markets and an instrument login with a
    token; with ``csv_path``, write a demo-shaped import file of ``rows`` batches there."""
    args = [str(csv_path), str(rows)] if csv_path else []
    return _script("prepare", db_url, workdir, *args)


def check(db_url: str, workdir: Path) -> dict[str, Any]:
    """Records, import batches, and whether both rollup tables equal a recount."""
    result: dict[str, Any] = _script("check", db_url, workdir)
    return result


def _child_prepare(csv_path: str | None, rows: int) -> dict[str, Any]:
    import numpy as np
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhizao.core import demo as core_demo
    from zhizao.core import services as core_services
    from zhizao.core.choices import Role
    from zhizao.core.models import ApiToken
    from zhizao.rapidtest import demo

    core_demo.load()
    rng = np.random.default_rng(demo.SEED)
    markets = demo._markets(rng)
    tester = core_services.create_user(
        username=TESTER, password=None, role=Role.MARKET_TESTER, organization=markets[0]
    )
    _token, raw = ApiToken.issue(tester, "faults")
    lines = 0
    if csv_path:
        if not Path(csv_path).exists():  # one file for both databases: the same markets
            demo._write_csv(csv_path, markets, rng, rows)
        with open(csv_path, "rb") as handle:
            lines = sum(1 for _line in handle) - 1
    return {"token": raw, "market": markets[0].credit_code, "lines": lines}


def _child_check() -> dict[str, Any]:
    from zhizao.rapidtest import rollups
    from zhizao.rapidtest.models import FollowUpCase, ImportBatch, TestRecord

    return {
        "records": TestRecord.objects.count(),
        "batches": ImportBatch.objects.count(),
        "failed": TestRecord.objects.filter(passed=False).count(),
        "cases": FollowUpCase.objects.count(),
        "rollups_equal": rollups.stored() == rollups.recount(),
        "market_month_equal": rollups.stored_market_month() == rollups.recount_market_month(),
        "suppliers_equal": rollups.stored_suppliers() == rollups.recount_suppliers(),
        "client_ids": sorted(
            TestRecord.objects.filter(client_record_id__startswith="burst-").values_list(
                "client_record_id", flat=True
            )
        ),
    }


# --- SIGKILL during an import --------------------------------------------------------------------


@dataclass
class KillReport:
    vendor: str
    rows: int
    full_seconds: float
    kills: list[dict[str, Any]] = field(default_factory=list)

    @property
    def partial_imports(self) -> int:
        return sum(1 for kill in self.kills if kill["outcome"] == "partial")

    @property
    def rollups_wrong(self) -> int:
        return sum(
            1
            for kill in self.kills
            if not (
                kill["rollups_equal"] and kill["market_month_equal"] and kill["suppliers_equal"]
            )
        )


def _import(db_url: str, workdir: Path, csv_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        # A demo-shaped file, loaded as the demo loader loads it (instrument-only rooms too).
        zhizao("import_rapidtests", str(csv_path), "--source", "demo", "--synthetic"),
        env=child_env(db_url, workdir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_import_runs(
    database: Database, prepared: dict[str, Any], kills: int, seed: int | None = None
) -> KillReport:
    """On copies of the prepared database (:meth:`Database.prepare_template`): import its file
    once uninterrupted (its time sets the range of kill moments, and proves the whole file goes
    in), then ``kills`` times: a fresh copy, the import started, SIGKILL after a uniformly random
    time within that range, and the copy checked: no records or all of them, rollups equal to a
    recount."""
    seed = random.SystemRandom().randrange(1 << 30) if seed is None else seed
    chooser = random.Random(seed)
    csv_path = Path(prepared["csv"])
    lines = int(prepared["lines"])
    name, url = database.copy()
    started = time.monotonic()
    full = _import(url, database.workdir, csv_path)
    _out, err = full.communicate(timeout=3600)
    full_seconds = time.monotonic() - started
    if full.returncode:
        raise RuntimeError(f"the uninterrupted import failed: {err.decode()[-2000:]}")
    whole = check(url, database.workdir)
    database.drop(name)
    report = KillReport(database.vendor, lines, round(full_seconds, 2))
    report.kills.append(
        {"at_seconds": None, "seed": seed, "outcome": _outcome(whole, lines), **_brief(whole)}
    )
    for _index in range(kills):
        name, url = database.copy()
        at = chooser.uniform(0.5, full_seconds)
        child = _import(url, database.workdir, csv_path)
        time.sleep(at)
        finished = child.poll() is not None
        if not finished:
            child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        state = check(url, database.workdir)
        report.kills.append(
            {
                "at_seconds": round(at, 2),
                "exited_before_kill": finished,
                "outcome": _outcome(state, lines),
                **_brief(state),
            }
        )
        database.drop(name)
    return report


def _outcome(state: dict[str, Any], lines: int) -> str:
    if state["records"] == 0 and state["batches"] == 0:
        return "none"
    if state["records"] == lines and state["batches"] == 1:
        return "whole"
    return "partial"


def _brief(state: dict[str, Any]) -> dict[str, Any]:
    return {
        key: state[key]
        for key in (
            "records",
            "batches",
            "cases",
            "failed",
            "rollups_equal",
            "market_month_equal",
            "suppliers_equal",
        )
    }


# --- The production server against a database --------------------------------------------------


@contextmanager
def served(db_url: str, workdir: Path, workers: int = 2) -> Iterator[str]:
    """``zhizao serve`` (gunicorn; the task worker too) on a free port against ``db_url``; its
    base URL once ``/healthz`` answers."""
    port = free_port()
    log = open(workdir / f"serve-{port}.log", "wb")  # noqa: SIM115 - closed below
    serve = subprocess.Popen(
        zhizao("serve", "--port", str(port), "--workers", str(workers)),
        env=child_env(db_url, workdir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                if serve.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"zhizao serve did not start: {(workdir / log.name).read_text()[-2000:]}"
                    ) from None
                time.sleep(0.3)
        yield base
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        log.close()


def post_record(
    base: str, token: str, market: str, client_id: str, timeout: float = 30
) -> tuple[int, dict[str, Any] | None]:
    """POST one instrument record; (HTTP status or 0 for no answer, the JSON body)."""
    body = {
        "client_record_id": client_id,
        "market": market,
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "value": "12.5",
        "tested_at": time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.localtime(time.time() - 600)),
        "supplier": "株洲甲农产品经营部",
        "instrument_id": "DEV-FAULTS",
    }
    request = urllib.request.Request(
        base + "/api/v1/rapidtest/records",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None
    except OSError:
        return 0, None


@dataclass
class BurstReport:
    sent: int = 0
    acknowledged: list[str] = field(default_factory=list)
    failed: dict[str, int] = field(default_factory=dict)  # status -> count (0: no answer)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    stored: int = 0
    restart_seconds: float = 0.0
    after_restart_ok: bool = False
    recovered_after_seconds: float | None = None  # from the restart's start to a 2xx


def write_burst(
    database: Database,
    prepared: dict[str, Any],
    *,
    threads: int = 8,
    per_thread: int = 40,
    restart_after: float = 2.0,
    recover_seconds: float = 180.0,
) -> BurstReport:
    """Post ``threads × per_thread`` records with distinct ids from threads to ``zhizao serve``
    on a copy of the prepared database in the private cluster; restart PostgreSQL
    ``restart_after`` seconds into the burst; then compare the stored ids with the acknowledged
    ones."""
    if database.cluster is None:
        raise ValueError("the restart drill needs the private PostgreSQL cluster")
    cluster, workdir = database.cluster, database.workdir
    _name, url = database.copy()
    report = BurstReport()
    lock = threading.Lock()
    with served(url, workdir) as base:

        def sender(number: int) -> None:
            for index in range(per_thread):
                client_id = f"burst-{number}-{index}"
                status, _body = post_record(base, prepared["token"], prepared["market"], client_id)
                with lock:
                    report.sent += 1
                    if 200 <= status < 300:
                        report.acknowledged.append(client_id)
                    else:
                        report.failed[str(status)] = report.failed.get(str(status), 0) + 1

        workers = [threading.Thread(target=sender, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        time.sleep(restart_after)
        started = time.monotonic()
        cluster.restart()
        report.restart_seconds = round(time.monotonic() - started, 2)
        for worker in workers:
            worker.join(timeout=600)
        # The server answers again once PostgreSQL is back (a broken connection is dropped at
        # the end of its request; a worker that died is booted again by gunicorn).
        deadline = time.monotonic() + recover_seconds
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            client_id = f"burst-after-{attempt}"
            status, _body = post_record(base, prepared["token"], prepared["market"], client_id)
            if 200 <= status < 300:
                report.after_restart_ok = True
                report.recovered_after_seconds = round(time.monotonic() - started, 2)
                report.acknowledged.append(client_id)
                break
            time.sleep(1.0)
    stored = check(url, workdir)["client_ids"]
    report.stored = len(stored)
    stored_set = set(stored)
    report.lost = sorted(set(report.acknowledged) - stored_set)
    report.duplicated = sorted({c for c in stored if stored.count(c) > 1})
    return report


def concurrent_retries(
    base: str, token: str, market: str, client_id: str, parallel: int = 20
) -> list[tuple[int, int | None]]:
    """The same record posted by ``parallel`` threads released at once: (status, record id)."""
    barrier = threading.Barrier(parallel)
    results: list[tuple[int, int | None]] = []
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        status, body = post_record(base, token, market, client_id)
        with lock:
            results.append((status, body["id"] if body else None))

    workers = [threading.Thread(target=one) for _n in range(parallel)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    return results


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "prepare":
        answer = _child_prepare(
            argv[1] if len(argv) > 1 else None, int(argv[2]) if len(argv) > 2 else 0
        )
    else:
        answer = _child_check()
    print(json.dumps(answer))


if __name__ == "__main__":
    main(sys.argv[1:])
