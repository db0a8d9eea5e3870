"""Exports follow the user's language (zh-Hans by default): headers and coded values (result,
category, source) translated, a UTF-8 byte-order mark on every CSV (issue 19). Real files, read
back with csv and openpyxl."""

import csv
import io

import pytest
from openpyxl import load_workbook

from zhizao.rapidtest import services
from zhizao.rapidtest.tests.conftest import record_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(rt):
    services.record_test_result(rt.p.tester, record_data(rt, value="12.5", stall=rt.stall))
    services.record_test_result(
        rt.p.tester, record_data(rt, product=rt.pork, item=rt.clen, value="阳性")
    )


@pytest.fixture
def chinese_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the platform's default (the conftest makes tests English)


def get(client, url, language=None):
    response = client.get(url + (f"&lang={language}" if language else ""))
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def read_csv(body):
    assert body.startswith(b"\xef\xbb\xbf"), body[:20]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_records_csv_is_chinese_by_default_with_a_bom(rt, recorded, chinese_default):
    rows = read_csv(get(rt.p.client("officer"), "/rapidtest/records/?export=csv"))
    assert rows[0] == [
        "编号",
        "市场",
        "摊位",
        "产品",
        "类别",
        "检测项目",
        "检测值",
        "检测结果",
        "检测时间",
        "产地",
        "供货商",
        "来源",
    ]
    assert sorted(row[7] for row in rows[1:]) == ["不合格", "合格"]
    assert {row[4] for row in rows[1:]} == {"生鲜蔬菜", "生鲜肉"}
    assert {row[11] for row in rows[1:]} == {"网页录入"}


def test_records_csv_is_english_for_an_english_user(rt, recorded, chinese_default):
    rows = read_csv(get(rt.p.client("officer"), "/rapidtest/records/?export=csv", "en"))
    assert rows[0][:3] == ["ID", "Market", "Stall"]
    assert sorted(row[7] for row in rows[1:]) == ["Fail", "Pass"]
    assert {row[11] for row in rows[1:]} == {"Web form"}


def test_an_empty_records_csv_still_has_its_header(rt, chinese_default):
    rows = read_csv(get(rt.p.client("officer"), "/rapidtest/records/?export=csv"))
    assert len(rows) == 1
    assert rows[0][0] == "编号"


def test_records_xlsx_is_chinese_by_default(rt, recorded, chinese_default):
    body = get(rt.p.client("officer"), "/rapidtest/records/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "市场", "摊位")
    assert sorted(row[7] for row in rows[1:]) == ["不合格", "合格"]


@pytest.mark.parametrize(
    ("language", "header", "category"),
    [
        (None, ("类别", "批次", "不合格", "合格率（%）"), "生鲜蔬菜"),
        ("en", ("Category", "Batches", "Failed", "Pass rate (%)"), "Fresh vegetables"),
    ],
)
def test_dashboard_exports_follow_the_language(
    rt, recorded, chinese_default, language, header, category
):
    client = rt.p.client("officer")
    url = "/rapidtest/dashboard/?table=category&export="
    csv_rows = read_csv(get(client, url + "csv", language))
    assert tuple(csv_rows[0][:4]) == header
    assert category in {row[0] for row in csv_rows[1:]}
    body = get(client, url + "xlsx", language)
    rows = list(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:4] == header
    assert category in {row[0] for row in rows[1:]}
