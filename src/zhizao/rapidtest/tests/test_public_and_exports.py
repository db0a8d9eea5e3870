"""The public board and its gate screen, exports read back as real files, the import templates
(downloaded, filled in and imported again) and late manual entries."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from zhizao.rapidtest import services
from zhizao.rapidtest.importing import template_headers
from zhizao.rapidtest.models import MarketProfile, TestRecord
from zhizao.rapidtest.tests.conftest import record_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(rt):
    passed, _ = services.record_test_result(
        rt.p.tester, record_data(rt, value="12.5", stall=rt.stall)
    )
    failed, _ = services.record_test_result(
        rt.p.tester, record_data(rt, product=rt.pork, item=rt.clen, value="阳性")
    )
    services.update_case(rt.p.tester, failed.case, {"destroyed_kg": 40})
    return passed, failed


def test_public_board_shows_todays_tests_and_what_was_done_with_failed_goods(rt, today):
    body = Client().get(f"/rapidtest/board/{rt.market.pk}/").content.decode()
    assert "青菜" in body
    assert "猪肉" in body
    assert "40.0 kg destroyed" in body
    assert "This week: 2 batches tested (2 tests), 1 failed." in body
    assert "A01" in body  # the stall is named
    assert "张三" not in body  # its operator is not: personal data stays private


def test_gate_screen_refreshes_itself_in_large_type(rt, today):
    body = Client().get(f"/rapidtest/board/{rt.market.pk}/?gate=1").content.decode()
    assert '<meta http-equiv="refresh" content="60">' in body
    assert "猪肉" in body


def test_only_markets_with_a_test_room_have_a_board(rt):
    listing = Client().get("/rapidtest/board/").content.decode()
    assert rt.market.name in listing
    MarketProfile.objects.filter(organization=rt.market).update(has_test_room=False)
    assert rt.market.name not in Client().get("/rapidtest/board/").content.decode()


def test_dashboard_table_exports_as_a_real_xlsx_file(rt, today):
    response = rt.p.client("officer").get("/rapidtest/dashboard/?export=xlsx&table=market")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Market", "Batches", "Failed")
    assert (rows[1][0], rows[1][1], rows[1][2]) == (rt.market.name, 2, 1)


def test_records_export_as_csv_streams_every_visible_record(rt, today):
    response = rt.p.client("officer").get("/rapidtest/records/?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["ID", "Market", "Stall"]
    assert sorted(row[7] for row in rows[1:]) == ["Fail", "Pass"]
    # Bob, an enterprise user, has no market: no export at all.
    assert rt.p.client("bob").get("/rapidtest/records/?export=csv").status_code == 403


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_downloaded_template_imports_as_it_is(rt, language):
    response = rt.p.client("tester").get(f"/rapidtest/template/{language}.xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header = list(next(sheet.iter_rows(values_only=True)))
    assert header == template_headers(language)
    outcome = services.import_test_records(
        rt.p.tester, io.BytesIO(response.content), file_name=f"template-{language}.xlsx"
    )
    assert outcome.ok, outcome.errors
    assert TestRecord.objects.count() == 1


def test_a_manual_entry_long_after_the_test_is_marked_late(rt, settings):
    settings.ZHIZAO_RAPIDTEST_LATE_ENTRY_HOURS = 24
    tested = timezone.now() - timedelta(hours=25)
    late, _ = services.record_test_result(rt.p.tester, record_data(rt, tested_at=tested))
    on_time, _ = services.record_test_result(
        rt.p.tester, record_data(rt, tested_at=timezone.now() - timedelta(hours=2))
    )
    assert late.is_late
    assert not on_time.is_late
    page = rt.p.client("officer").get(f"/rapidtest/records/{late.pk}/").content.decode()
    assert "late entry" in page
