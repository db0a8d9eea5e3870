"""What one import carries through its steps: its errors and counts (:class:`_State`) and its
settings (:class:`_Context`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from zhizao.core.models import User
from zhizao.rapidtest.validation import (
    Catalogue,
)

MAX_ERRORS = 100_000


@dataclass
class _State:
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    written: int = 0
    ragged: int = 0  # CSV rows with more or fewer cells than the header
    # per block, one row per test: sample, rollup key, verdict and row number (the batches are
    # known only once the whole file is read: a sample's tests may sit in several blocks)
    tests: list[pa.Table] = field(default_factory=list)
    explicit_keys: list[pa.Array] = field(default_factory=list)
    explicit_rows: list[npt.NDArray[np.int64]] = field(default_factory=list)

    def add(self, rows: npt.NDArray[np.int64], column: str, message: str) -> None:
        for row in rows[: max(0, MAX_ERRORS - len(self.errors))]:
            self.errors.append({"row": int(row), "column": column, "message": message})


@dataclass
class _Context:
    actor: User | None
    catalogue: Catalogue
    columns: dict[str, str]  # canonical -> header as written in the file
    default_market_id: int | None
    source: str
    synthetic: bool
    sha: str
    now: datetime
