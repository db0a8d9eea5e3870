"""Loads the public test vectors kept in the repository beside these tests (``vectors/``; their
sources are in ``vectors/README.md`` and in each file)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

VECTORS_DIR = Path(__file__).resolve().parent / "vectors"


@cache
def load(name: str) -> Any:
    return json.loads((VECTORS_DIR / name).read_text(encoding="utf-8"))
