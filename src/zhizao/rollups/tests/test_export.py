"""``zhizao export --parquet``: the layout, no personal columns, incremental (a second run
replaces only the partitions whose records changed) and atomic (a reader never sees half a
partition; a failed run publishes nothing)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from zhizao.rapidtest import services as rapidtest
from zhizao.rapidtest.models import TestRecord
from zhizao.rollups import exporting
from zhizao.scaleout import layout

pytestmark = pytest.mark.django_db


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Partition key → (inode, mtime_ns) of every published partition."""
    found = {}
    for dataset in layout.DATASETS:
        for part in layout.partitions(root, dataset):
            stat = part.path.stat()
            key = layout.partition_key(dataset, part.province, part.city, part.year)
            found[key] = (stat.st_ino, stat.st_mtime_ns)
    return found


def test_the_layout_and_no_personal_columns(three, tmp_path):
    city = three.cities[0]
    call_command("export", "--parquet", str(tmp_path), "--city", city.code)
    document = json.loads((tmp_path / "_layout.json").read_text(encoding="utf-8"))
    assert document["version"] == layout.LAYOUT_VERSION
    assert document["synthetic"] is False
    base = tmp_path / "dataset=rapidtest" / "province=430000" / f"city={city.code}"
    table = pq.read_table(base / f"year={three.year}" / "part-0.parquet")
    assert table.num_rows == TestRecord.objects.filter(market__name__contains=city.code).count()
    for dataset, schema in layout.SCHEMAS.items():
        assert not set(schema.names) & layout.PERSONAL_COLUMNS, dataset
        assert [c["name"] for c in document["datasets"][dataset]] == schema.names
    # The tester's name and the supplier are in the database, not in the file.
    assert TestRecord.objects.filter(tester_name="检测员甲").exists()
    text = b"".join(p.read_bytes() for p in tmp_path.rglob("*.parquet"))
    assert "检测员甲".encode() not in text
    assert {p.dataset for d in layout.DATASETS for p in layout.partitions(tmp_path, d)} == {
        "rapidtest",
        "sampling",
        "air",
    }


def test_a_second_run_writes_only_the_partitions_that_changed(three, tmp_path):
    city = three.cities[0]
    first = exporting.export_city(tmp_path, city)
    assert len(first.written) == 3
    assert not first.unchanged
    before = _files(tmp_path)
    again = exporting.export_city(tmp_path, city)
    assert again.written == []
    assert len(again.unchanged) == 3
    assert _files(tmp_path) == before
    # Correct one rapid test: only the rapid-test partition is rewritten.
    record = TestRecord.objects.filter(market__name__contains=city.code).order_by("pk")[0]
    rapidtest.correct_test_record(three.p.admin, record, {"value": "阳性"}, reason="复核结果")
    third = exporting.export_city(tmp_path, city)
    key = layout.partition_key("rapidtest", "430000", city.code, three.year)
    assert third.written == [key]
    after = _files(tmp_path)
    assert after[key] != before[key]
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }
    manifest = json.loads((tmp_path / "_manifests" / f"430000-{city.code}.json").read_text())
    assert (
        manifest["partitions"][key]["rows"]
        == pq.read_metadata(
            layout.partition_dir(tmp_path, "rapidtest", "430000", city.code, three.year)
            / "part-0.parquet"
        ).num_rows
    )
    # --since a later year leaves this year's partitions alone.
    later = exporting.export_city(tmp_path, city, since=_next_year(three))
    assert later.written == []
    assert later.unchanged == []


def _next_year(three):
    import datetime as dt

    return dt.date(three.year + 1, 1, 1)


def test_a_failed_run_publishes_nothing_and_leaves_no_staging_file(three, tmp_path, monkeypatch):
    city = three.cities[0]
    exporting.export_city(tmp_path, city)
    before = _files(tmp_path)
    rapidtest_rows = exporting.SOURCES["rapidtest"]

    def broken(region):
        yield from rapidtest_rows(region)
        raise RuntimeError("the database went away")

    TestRecord.objects.filter(market__name__contains=city.code).update(value=1.0)
    monkeypatch.setitem(exporting.SOURCES, "rapidtest", broken)
    with pytest.raises(RuntimeError):
        exporting.export_city(tmp_path, city)
    assert _files(tmp_path) == before
    assert list((tmp_path / layout.STAGING).iterdir()) == []


def test_a_reader_never_sees_half_a_partition(tmp_path):
    """A reader polling a partition while it is rewritten again and again reads either the
    old rows or the new ones, always a whole file."""
    import pyarrow as pa

    schema = layout.SCHEMAS["sampling"]

    def batch(rows: int) -> pa.RecordBatch:
        import datetime as dt

        def constant(value, kind):
            return pa.array([value] * rows, type=kind)

        return pa.RecordBatch.from_arrays(
            [
                pa.array(range(rows), type=pa.int64()),
                constant(dt.date(2024, 1, 1), pa.date32()),
                constant(1, pa.int8()),
                constant("430203", pa.string()),
                constant("agri", pa.string()),
                constant("蔬菜", pa.string()),
                constant("青菜", pa.string()),
                constant("pass", pa.string()),
                constant(0, pa.int16()),
                constant(False, pa.bool_()),
                constant(True, pa.bool_()),
                constant(True, pa.bool_()),
            ],
            schema=schema,
        )

    small, big = batch(1_000), batch(300_000)
    manifest = layout.Manifest.load(tmp_path, "430000", "430200")
    writer = layout.PartitionWriter(tmp_path, "sampling", "430000", "430200", 2024)
    writer.write(small)
    writer.commit(manifest)
    target = writer.target
    seen: set[int] = set()
    stop = threading.Event()
    errors: list[BaseException] = []

    def read() -> None:
        while not stop.is_set():
            try:
                seen.add(pq.read_table(target).num_rows)
            except BaseException as error:  # a half-written file would raise here
                errors.append(error)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_number in range(6):
            writer = layout.PartitionWriter(tmp_path, "sampling", "430000", "430200", 2024)
            for _ in range(3 if round_number % 2 == 0 else 1):
                writer.write(big if round_number % 2 == 0 else small)
            assert writer.commit(manifest)
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert seen <= {1_000, 900_000}
    assert seen
