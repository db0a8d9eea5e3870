"""Loads the public test vectors from ``../shared/reference/vectors/`` beside the repository."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[4]
VECTORS_DIR = REPO_ROOT / ".." / "shared" / "reference" / "vectors"


@cache
def load(name: str) -> Any:
    path = VECTORS_DIR / name
    if not path.is_file():
        raise FileNotFoundError(
            f"test vectors {path} not found: the shared/ reference must sit beside the repository"
        )
    return json.loads(path.read_text(encoding="utf-8"))
