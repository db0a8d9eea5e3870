"""A long import holds the write lock only while it writes (issue 10): the file is read and
checked outside any transaction, then written in one short one. On SQLite, which has one write
lock for the whole database, another connection could not write while an import was checking
its rows (before: the check ran inside the import's transaction, and every other writer waited
the busy timeout and failed, "database is locked")."""

import time

import pytest
from django.db import connections

from zhizao.rapidtest import importing, services
from zhizao.rapidtest.importing import checking, readers
from zhizao.rapidtest.models import ImportBatch, Stall, TestRecord

from .test_import import write_csv

ROWS = 3000


def _rows(count):
    item = "有机磷和氨基甲酸酯类农药残留"
    return [
        [f"r{i}", "", "", "青菜", item, "", "", "", "", "2024-05-01 07:00", "", "", "12.3", "合格"]
        for i in range(count)
    ]


def _write_from_another_connection(stall_pk):
    """Rename a stall's operator from a second connection, waiting at most 0.5 s for the lock;
    the seconds it took, or the error."""
    other = connections.create_connection("default")
    start = time.perf_counter()
    try:
        with other.cursor() as cursor:
            if other.vendor == "sqlite":
                cursor.execute("PRAGMA busy_timeout = 500")
                cursor.execute("BEGIN IMMEDIATE")
            else:
                cursor.execute("SET lock_timeout = '500ms'")
                cursor.execute("BEGIN")
            cursor.execute(
                "UPDATE rapidtest_stall SET operator_name = %s WHERE id = %s", ["王五", stall_pk]
            )
            cursor.execute("COMMIT")
        return time.perf_counter() - start
    except Exception as error:  # the test reports what the writer met
        return error
    finally:
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_connection_writes_while_an_import_checks_its_rows(rt, monkeypatch):
    check = importing._validate_block
    writes: list[float | Exception] = []

    def check_and_let_another_connection_write(*args, **kwargs):
        if not writes:
            writes.append(_write_from_another_connection(rt.stall.pk))
        return check(*args, **kwargs)

    monkeypatch.setattr(checking, "_validate_block", check_and_let_another_connection_write)
    outcome = services.import_test_records(rt.p.tester, write_csv(_rows(ROWS)), file_name="l.csv")
    assert outcome.ok, outcome.errors[:3]
    assert len(writes) == 1
    assert isinstance(writes[0], float), writes[0]  # the write did not fail…
    assert writes[0] < 0.4  # …nor wait for the import
    assert Stall.objects.get(pk=rt.stall.pk).operator_name == "王五"
    assert TestRecord.objects.filter(import_batch_id=outcome.batch_id).count() == ROWS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_refused_at_the_check_opens_no_transaction(rt, monkeypatch):
    """A refused file is refused by the check alone: no batch is created, nothing is written."""
    bad = _rows(50)
    bad[20][3] = "不存在的产品"
    writes: list[object] = []

    def write(*args, **kwargs):
        writes.append(args)

    monkeypatch.setattr(importing, "_write_spooled", write)
    outcome = services.import_test_records(rt.p.tester, write_csv(bad), file_name="bad.csv")
    assert [error["row"] for error in outcome.errors] == [22]
    assert writes == []
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_file_spooled_to_disk_in_many_blocks_is_written_whole(rt, monkeypatch):
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 16 << 10)
    monkeypatch.setattr(importing, "SPOOL_IN_MEMORY_BYTES", 4 << 10)
    outcome = services.import_test_records(rt.p.tester, write_csv(_rows(ROWS)), file_name="m.csv")
    assert outcome.ok, outcome.errors[:3]
    stored = TestRecord.objects.filter(import_batch_id=outcome.batch_id)
    assert stored.count() == ROWS
    assert set(stored.values_list("client_record_id", flat=True)) == {f"r{i}" for i in range(ROWS)}


@pytest.mark.django_db
def test_ids_already_stored_are_listed_by_row_from_the_spool(rt, monkeypatch):
    """A stored id fails the write; the whole transaction rolls back and each row holding one is
    listed, also in a later block."""
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 16 << 10)
    rows = _rows(ROWS)
    first = services.import_test_records(
        rt.p.tester, write_csv([rows[1500], rows[ROWS - 1]]), file_name="a.csv"
    )
    assert first.ok
    outcome = services.import_test_records(rt.p.tester, write_csv(rows), file_name="b.csv")
    assert [(e["row"], e["column"]) for e in outcome.errors] == [
        (1502, "record_id"),
        (ROWS + 1, "record_id"),
    ]
    assert "already stored" in outcome.errors[0]["message"]
    assert TestRecord.objects.count() == 2
    assert ImportBatch.objects.filter(rows__gt=0).count() == 1
