"""The shipped systemd units (deploy/systemd/) pass ``systemd-analyze verify`` once their paths
point at a real installation (this checkout's .venv), and name the commands that exist."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "deploy" / "systemd").glob("zhizao-*"))


def test_the_units_are_shipped():
    names = {unit.name for unit in UNITS}
    assert names == {
        "zhizao-web.service",
        "zhizao-worker.service",
        "zhizao-backup.service",
        "zhizao-backup.timer",
        "zhizao-snapshot.service",
        "zhizao-snapshot.timer",
        "zhizao-dask-scheduler.service",
        "zhizao-dask-worker@.service",
    }


def test_systemd_accepts_every_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is needed to check deploy/systemd (Debian: systemd)"
    assert (ROOT / ".venv" / "bin" / "gunicorn").exists(), "install first (make dev-install)"
    copies = []
    for unit in UNITS:
        # A template is verified as one of its instances.
        copy = tmp_path / unit.name.replace("@.", "@1.")
        copy.write_text(unit.read_text().replace("/srv/zhizao", str(ROOT)))
        copies.append(str(copy))
    done = subprocess.run(
        [analyze, "verify", *copies], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr


def test_every_zhizao_command_a_unit_runs_exists():
    from django.core.management import get_commands

    text = "\n".join(unit.read_text() for unit in UNITS)
    commands = set(re.findall(r"bin/zhizao (\w+)", text))
    assert commands == {"db_worker", "backup", "snapshot"}
    assert commands <= set(get_commands())


def test_the_dask_units_run_the_installed_dask_commands():
    """The scheduler and each worker run the `dask` console script of the same installation
    (the Zhizao wheel and its locked distributed), with the options docs/rollups.md gives."""
    assert (ROOT / ".venv" / "bin" / "dask").exists()
    scheduler = (ROOT / "deploy" / "systemd" / "zhizao-dask-scheduler.service").read_text()
    worker = (ROOT / "deploy" / "systemd" / "zhizao-dask-worker@.service").read_text()
    assert "/srv/zhizao/.venv/bin/dask scheduler --host 0.0.0.0 --port 8786" in scheduler
    assert "/srv/zhizao/.venv/bin/dask worker ${ZHIZAO_DASK_SCHEDULER}" in worker
    assert "--nthreads 1" in worker
    assert "%i" in worker
    docs = (ROOT / "docs" / "rollups.md").read_text(encoding="utf-8")
    assert "dask scheduler" in docs
    assert "dask worker" in docs
