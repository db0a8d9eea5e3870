"""The open-data layout (docs/open-data-layout.md): datasets, their Arrow schemas, the Hive-style
partition paths, and the atomic, incremental partition writer.

A partition is ONE file, ``<root>/dataset=<name>/province=<code>/city=<code>/year=<yyyy>/
part-0.parquet``. It is written to ``<root>/_staging/`` (same file system; readers skip names
starting with ``_``) and moved into place with :func:`os.replace`, so a reader sees the old
partition or the new one, never half of either. Each city's manifest
(``<root>/_manifests/<province>-<city>.json``) keeps every partition's row count and the
SHA-256 of its content (the Arrow IPC bytes of its record batches, in order): a partition whose
content did not change is not replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.parquet as pq

LAYOUT_NAME: Final = "zhizao-open-data"
LAYOUT_VERSION: Final = 1
PART_NAME: Final = "part-0.parquet"
STAGING: Final = "_staging"
MANIFESTS: Final = "_manifests"
LAYOUT_FILE: Final = "_layout.json"
ROW_GROUP_ROWS: Final = 256 * 1024

UTC_US = pa.timestamp("us", tz="UTC")

# Non-personal columns only: no names of people, stall operators, testers, suppliers, phone or
# ID numbers (a test checks every dataset's schema against PERSONAL_COLUMNS).
SCHEMAS: Final[Mapping[str, pa.Schema]] = {
    "rapidtest": pa.schema(
        [
            ("record_id", pa.int64()),
            ("tested_at", UTC_US),
            ("month", pa.int8()),
            ("district", pa.string()),
            ("market", pa.string()),
            ("market_kind", pa.string()),
            ("product", pa.string()),
            ("category", pa.string()),
            ("item", pa.string()),
            ("value", pa.float64()),
            ("passed", pa.bool_()),
            ("batch", pa.string()),
            ("batch_first", pa.bool_()),
            ("batch_passed", pa.bool_()),
            ("synthetic", pa.bool_()),
        ]
    ),
    "sampling": pa.schema(
        [
            ("batch_id", pa.int64()),
            ("sampled_on", pa.date32()),
            ("month", pa.int8()),
            ("district", pa.string()),
            ("domain", pa.string()),
            ("category", pa.string()),
            ("product", pa.string()),
            ("verdict", pa.string()),
            ("failed_items", pa.int16()),
            ("overturned_on_retest", pa.bool_()),
            ("passed", pa.bool_()),
            ("synthetic", pa.bool_()),
        ]
    ),
    "air": pa.schema(
        [
            ("station", pa.string()),
            ("district", pa.string()),
            ("day", pa.date32()),
            ("hour", pa.int8()),
            ("so2", pa.float64()),
            ("no2", pa.float64()),
            ("pm10", pa.float64()),
            ("pm2_5", pa.float64()),
            ("co", pa.float64()),
            ("o3", pa.float64()),
            ("flag", pa.string()),
            ("synthetic", pa.bool_()),
        ]
    ),
    "water": pa.schema(
        [
            ("sample_id", pa.int64()),
            ("section", pa.string()),
            ("section_kind", pa.string()),
            ("water_body", pa.string()),
            ("district", pa.string()),
            ("sampled_on", pa.date32()),
            ("water_class", pa.int8()),
            ("values", pa.string()),
            ("synthetic", pa.bool_()),
        ]
    ),
}
DATASETS: Final = tuple(SCHEMAS)

PERSONAL_COLUMNS: Final = frozenset(
    {
        "operator_name",
        "operator_code",
        "tester",
        "tester_name",
        "supplier",
        "contact_phone",
        "phone",
        "id_number",
        "name",
        "person",
        "created_by",
        "uploaded_by",
    }
)

COLUMN_DOCS: Final[Mapping[str, str]] = {
    "record_id": "the city's record id of the test (int64)",
    "tested_at": "time of the test, UTC (microseconds)",
    "month": "calendar month 1-12 in the city's local time (Asia/Shanghai)",
    "district": "GB/T 2260 code of the district (empty for a park or zone without one)",
    "market": "unified social credit code of the market (GB 32100)",
    "market_kind": "farmers_market, supermarket or wholesale_market",
    "product": "product name as catalogued (e.g. 青菜)",
    "category": "rapid tests: vegetables, meat, aquatic, other; sampling: product category",
    "item": "test item as catalogued",
    "value": "measured value in the item's unit",
    "passed": "the record passed (rapid test: as decided by the engine and the lab)",
    "batch": "sample code (样品编号): the batch is (market, batch)",
    "batch_first": "this test is its batch's first (lowest record id): count batches on it",
    "batch_passed": "every test of the batch passed",
    "synthetic": "generated demo or benchmark record",
    "batch_id": "the city's record id of the sampled batch",
    "sampled_on": "date sampled (local)",
    "domain": "sampling domain (consumer_goods, industrial, agri, food_safety_*)",
    "verdict": "pass or fail, the laboratory's verdict",
    "failed_items": "items that failed",
    "overturned_on_retest": "a re-test overturned the failure",
    "station": "air station code (national platform)",
    "day": "local date of the hour",
    "hour": "hour 0-23 by its start, local time",
    "so2": "µg/m³",
    "no2": "µg/m³",
    "pm10": "µg/m³",
    "pm2_5": "µg/m³",
    "co": "mg/m³",
    "o3": "µg/m³ (1 h)",
    "flag": "V valid; anything else is not used by the evaluation",
    "sample_id": "the city's record id of the water sample",
    "section": "section or source code",
    "section_kind": "kind of section",
    "water_body": "river, lake or reservoir",
    "water_class": "GB 3838 class 1-6 (6 = worse than V)",
    "values": "JSON object: item key → value as a decimal string",
}


def partition_dir(root: Path, dataset: str, province: str, city: str, year: int) -> Path:
    return root / f"dataset={dataset}" / f"province={province}" / f"city={city}" / f"year={year}"


def partition_key(dataset: str, province: str, city: str, year: int) -> str:
    return f"dataset={dataset}/province={province}/city={city}/year={year}"


@dataclass(frozen=True)
class Partition:
    """One partition file found in a layout."""

    dataset: str
    province: str
    city: str
    year: int
    path: Path


def partitions(root: Path | str, dataset: str) -> list[Partition]:
    """Every partition of ``dataset`` under ``root``, in path order (staging ignored)."""
    base = Path(root)
    found = []
    for path in sorted(base.glob(f"dataset={dataset}/province=*/city=*/year=*/{PART_NAME}")):
        year_dir = path.parent
        city_dir = year_dir.parent
        province_dir = city_dir.parent
        found.append(
            Partition(
                dataset,
                province_dir.name.split("=", 1)[1],
                city_dir.name.split("=", 1)[1],
                int(year_dir.name.split("=", 1)[1]),
                path,
            )
        )
    return found


def glob_pattern(root: Path | str, dataset: str) -> str:
    return str(Path(root) / f"dataset={dataset}" / "province=*" / "city=*" / "year=*" / PART_NAME)


def layout_document(
    *, synthetic: bool, generator: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "layout": LAYOUT_NAME,
        "version": LAYOUT_VERSION,
        "partitioning": "dataset=<name>/province=<code>/city=<code>/year=<yyyy>/part-0.parquet",
        "synthetic": synthetic,
        "generator": dict(generator) if generator else None,
        "datasets": {
            name: [
                {"name": f.name, "type": str(f.type), "meaning": COLUMN_DOCS.get(f.name, "")}
                for f in schema
            ]
            for name, schema in SCHEMAS.items()
        },
    }


def write_json_atomic(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=1, sort_keys=True)
        out.write("\n")
    os.replace(temporary, path)


def write_layout(
    root: Path, *, synthetic: bool, generator: Mapping[str, Any] | None = None
) -> None:
    """``_layout.json``: the layout's name, version, columns, and whether it is synthetic."""
    write_json_atomic(root / LAYOUT_FILE, layout_document(synthetic=synthetic, generator=generator))


class LayoutError(ValueError):
    """A directory that is not a layout this version reads (en + zh)."""


def read_layout(root: Path | str) -> dict[str, Any]:
    path = Path(root) / LAYOUT_FILE
    if not path.exists():
        raise LayoutError(f"{path}: no {LAYOUT_FILE} (没有开放数据布局文件)")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if document.get("layout") != LAYOUT_NAME or document.get("version") != LAYOUT_VERSION:
        raise LayoutError(
            f"{path}: layout {document.get('layout')} version {document.get('version')}, "
            f"this Zhizao reads {LAYOUT_NAME} version {LAYOUT_VERSION} (布局版本不符)"
        )
    return document


@dataclass
class Manifest:
    """One city's manifest: partition key → {"rows", "sha256", "written_at"}."""

    path: Path
    partitions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, province: str, city: str) -> Manifest:
        path = root / MANIFESTS / f"{province}-{city}.json"
        if path.exists():
            document = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(document.get("partitions", {})))
        return cls(path)

    def save(self) -> None:
        write_json_atomic(
            self.path,
            {"version": LAYOUT_VERSION, "partitions": dict(sorted(self.partitions.items()))},
        )


@dataclass
class PartitionWriter:
    """Writes one partition to the staging directory, batch by batch (bounded memory), hashing
    what it writes; :meth:`commit` moves it into place only if its content changed."""

    root: Path
    dataset: str
    province: str
    city: str
    year: int
    rows: int = 0
    _digest: Any = field(default_factory=hashlib.sha256)
    _writer: pq.ParquetWriter | None = None
    _staging: Path | None = None
    _pending: list[pa.RecordBatch] = field(default_factory=list)
    _pending_rows: int = 0

    @property
    def key(self) -> str:
        return partition_key(self.dataset, self.province, self.city, self.year)

    @property
    def target(self) -> Path:
        return (
            partition_dir(self.root, self.dataset, self.province, self.city, self.year) / PART_NAME
        )

    def write(self, batch: pa.RecordBatch) -> None:
        schema = SCHEMAS[self.dataset]
        if batch.schema != schema:
            batch = pa.RecordBatch.from_arrays(
                [batch.column(name).cast(schema.field(name).type) for name in schema.names],
                schema=schema,
            )
        if not batch.num_rows:
            return
        self._digest.update(batch.serialize())
        self.rows += batch.num_rows
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        if self._pending_rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            staging = self.root / STAGING
            staging.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=staging, suffix=".parquet")
            os.close(handle)
            self._staging = Path(name)
            self._writer = pq.ParquetWriter(name, SCHEMAS[self.dataset])
        self._writer.write_table(pa.Table.from_batches(self._pending, SCHEMAS[self.dataset]))
        self._pending = []
        self._pending_rows = 0

    @property
    def sha256(self) -> str:
        return str(self._digest.hexdigest())

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._staging is not None:
            self._staging.unlink(missing_ok=True)
        self._writer = None
        self._staging = None

    def commit(self, manifest: Manifest) -> bool:
        """Publish the partition if it changed (True) or leave the published one (False). An
        empty partition removes a published one."""
        known = manifest.partitions.get(self.key)
        unchanged = (
            known is not None
            and known.get("rows") == self.rows
            and known.get("sha256") == self.sha256
            and (self.target.exists() or self.rows == 0)
        )
        if unchanged:
            self.abort()
            return False
        if self.rows == 0:
            self.abort()
            self.target.unlink(missing_ok=True)
            manifest.partitions.pop(self.key, None)
            return known is not None
        self._flush()
        assert self._writer is not None
        assert self._staging is not None
        self._writer.close()
        self._writer = None
        self.target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._staging, self.target)
        self._staging = None
        manifest.partitions[self.key] = {
            "rows": self.rows,
            "sha256": self.sha256,
            "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        return True


@contextlib.contextmanager
def partition_writers(
    root: Path, dataset: str, province: str, city: str
) -> Iterator[dict[int, PartitionWriter]]:
    """Writers by year for one city's dataset; on an error every staging file is removed and
    nothing is published."""
    writers: dict[int, PartitionWriter] = {}
    try:
        yield writers
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise


def writer_for(
    writers: dict[int, PartitionWriter],
    root: Path,
    dataset: str,
    province: str,
    city: str,
    year: int,
) -> PartitionWriter:
    if year not in writers:
        writers[year] = PartitionWriter(root, dataset, province, city, year)
    return writers[year]
