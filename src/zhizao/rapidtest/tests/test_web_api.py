from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from zhizao.core.frontpage import headlines
from zhizao.rapidtest import services
from zhizao.rapidtest.models import TestRecord

from .conftest import record_data

pytestmark = pytest.mark.django_db

API = "/api/v1/rapidtest"


def payload(rt, **extra):
    data = {
        "client_record_id": "inst-7-0001",
        "market": rt.market.credit_code,
        "product": "青菜",
        "item": "有机磷和氨基甲酸酯类农药残留",
        "value": "63.2",
        "result": "不合格",
        "tested_at": rt.now.isoformat(),
        "instrument_id": "INST-7",
    }
    data.update(extra)
    return data


def test_api_post_is_idempotent(rt):
    client = rt.p.client("tester")
    first = client.post(f"{API}/records", payload(rt), content_type="application/json")
    assert first.status_code == 201, first.content
    retry = client.post(f"{API}/records", payload(rt), content_type="application/json")
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert TestRecord.objects.count() == 1
    assert first.json()["case_id"]
    batch = {
        "records": [
            payload(rt),
            payload(rt, client_record_id="inst-7-0002", value="3", result="合格"),
        ]
    }
    response = client.post(f"{API}/records/batch", batch, content_type="application/json")
    assert response.json()["created"] == 1
    assert response.json()["existing"] == 1
    again = client.post(f"{API}/records/batch", batch, content_type="application/json")
    assert again.json()["created"] == 0
    assert TestRecord.objects.count() == 2


def test_api_batch_all_or_nothing(rt):
    client = rt.p.client("tester")
    batch = {
        "records": [payload(rt), payload(rt, client_record_id="x2", value="80", result="合格")]
    }
    response = client.post(f"{API}/records/batch", batch, content_type="application/json")
    assert response.status_code == 400
    assert "records.1.result" in response.json()["errors"]
    assert TestRecord.objects.count() == 0


def test_api_permissions(rt):
    for name in ("alice", "assessor", "district_officer"):
        response = rt.p.client(name).post(
            f"{API}/records", payload(rt), content_type="application/json"
        )
        assert response.status_code == 403
    assert rt.p.client("anonymous").get(f"{API}/records").status_code == 401
    services.record_test_result(rt.p.tester, record_data(rt))
    assert rt.p.client("alice").get(f"{API}/records").json()["count"] == 0
    assert rt.p.client("district_officer").get(f"{API}/records").json()["count"] == 0
    assert rt.p.client("officer").get(f"{API}/records").json()["count"] == 1
    assert rt.p.client("tester").get(f"{API}/dashboard/market-month").status_code == 403
    rows = rt.p.client("officer").get(f"{API}/dashboard/market-month").json()["rows"]
    assert rows[0]["total"] == 1
    assert rows[0]["rate"] == 100.0
    assert rows[0]["low"] < 100


def test_lists_query_counts(rt, django_assert_max_num_queries):
    for index in range(30):
        services.record_test_result(
            rt.p.tester,
            record_data(
                rt, value="70" if index % 3 else "5", tested_at=rt.now - timedelta(hours=index)
            ),
        )
    officer = rt.p.client("officer")
    with django_assert_max_num_queries(15):  # +3: the filter form's choice lists
        assert officer.get(reverse("rapidtest:records")).status_code == 200
    with django_assert_max_num_queries(12):
        assert officer.get(f"{API}/records?limit=50").json()["count"] == 30
    with django_assert_max_num_queries(14):
        assert officer.get(reverse("rapidtest:cases")).status_code == 200
    with django_assert_max_num_queries(20):
        assert officer.get(reverse("rapidtest:dashboard")).status_code == 200
    with django_assert_max_num_queries(10):
        assert (
            rt.p.client("anonymous")
            .get(reverse("rapidtest:board", args=[rt.market.pk]))
            .status_code
            == 200
        )


def test_pages_by_role(rt):
    record, _ = services.record_test_result(rt.p.tester, record_data(rt, value="70"))
    anonymous = rt.p.client("anonymous")
    assert (
        anonymous.get(reverse("rapidtest:board", args=[rt.market.pk]) + "?gate=1").status_code
        == 200
    )
    assert anonymous.get(reverse("rapidtest:boards")).status_code == 200
    assert anonymous.get(reverse("rapidtest:records")).status_code == 302
    for name in ("alice", "assessor"):
        client = rt.p.client(name)
        for url in ("records", "cases", "dashboard", "entry", "upload", "integrity", "warnings"):
            assert client.get(reverse(f"rapidtest:{url}")).status_code == 403, (name, url)
        assert client.get(reverse("rapidtest:record_detail", args=[record.pk])).status_code == 403
    tester = rt.p.client("tester")
    assert tester.get(reverse("rapidtest:entry")).status_code == 200
    assert tester.get(reverse("rapidtest:dashboard")).status_code == 403
    assert tester.get(reverse("rapidtest:case_detail", args=[record.case.pk])).status_code == 200
    assert (
        rt.p.client("district_officer")
        .get(reverse("rapidtest:case_detail", args=[record.case.pk]))
        .status_code
        == 403
    )
    officer = rt.p.client("officer")
    for url in ("dashboard", "integrity", "warnings", "records", "cases"):
        assert officer.get(reverse(f"rapidtest:{url}")).status_code == 200, url
    export = officer.get(reverse("rapidtest:dashboard") + "?export=xlsx&table=market")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        b"Pass rate (%)"
        in officer.get(reverse("rapidtest:dashboard") + "?export=csv&table=month").content
    )
    assert (
        officer.get(reverse("rapidtest:template", args=["zh-hans", "csv"]))
        .content.decode("utf-8-sig")
        .startswith("记录编号")
    )


def test_catalogue_search_and_headline(rt):
    response = rt.p.client("tester").get(reverse("rapidtest:catalogue_search") + "?q=青")
    assert "青菜" in response.content.decode()
    services.record_test_result(rt.p.tester, record_data(rt))
    with translation.override("en"):
        year = timezone.localtime(rt.now).year
        tile = {h.key: h for h in headlines(rt.p.city, year)}["rapidtest_pass_rate"]
        assert tile.value == "100.00%"
        assert "1 batch ·" in str(tile.detail)  # singular (ngettext)
