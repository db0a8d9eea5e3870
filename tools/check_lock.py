"""Lint: the packages installed in .venv are exactly the development set of uv.lock.

`make lint` runs this after `uv lock --check`: the lock matches pyproject.toml, and what is
installed matches the lock, so a hand-installed package, a missing one or another version fails
here instead of passing on one machine only. The installer's own bootstrap (pip, uv) is allowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP = {"pip", "uv"}
PROJECT = "zhizao"


def locked() -> dict[str, str]:
    """Name → version of every package the lock installs here with the `dev` extra."""
    uv = Path(sys.executable).with_name("uv")
    exported = subprocess.run(
        [
            str(uv),
            "export",
            "--frozen",
            "--offline",
            "--extra",
            "dev",
            "--no-hashes",
            "--no-header",
            "--no-annotate",
            "--no-emit-project",
            "--format",
            "requirements.txt",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(ROOT / ".venv")},
    ).stdout
    pins: dict[str, str] = {}
    for line in exported.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (specifier,) = requirement.specifier
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def installed() -> dict[str, str]:
    return {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if canonicalize_name(dist.metadata["Name"]) not in BOOTSTRAP | {PROJECT}
    }


def compare(want: dict[str, str], have: dict[str, str]) -> list[str]:
    """What differs between the lock's pins (want) and the environment (have)."""
    found = [
        f"missing: {name}=={version} (in uv.lock, not installed)"
        for name, version in sorted(want.items())
        if name not in have
    ]
    found += [
        f"not in uv.lock: {name}=={version} (installed by hand?)"
        for name, version in sorted(have.items())
        if name not in want
    ]
    found += [
        f"version differs: {name} installed {have[name]}, uv.lock {version}"
        for name, version in sorted(want.items())
        if name in have and have[name] != version
    ]
    return found


def main() -> int:
    found = compare(locked(), installed())
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print("run `rm -rf .venv && make dev-install` to install exactly the lock", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
