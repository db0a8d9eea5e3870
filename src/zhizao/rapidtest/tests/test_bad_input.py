"""Bad input found by probing (issue 10): every one is a 4xx with a clear error — the API's
``{"detail", "errors"}`` body on API paths, a form error on pages — never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

API = "/api/v1/rapidtest"
HUGE = str(2**64 + 5)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "9999-12"}, "month"),
        ({"month": "0001-01"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"month": "2026-13"}, "month"),
        ({"month": "２０２５-01"}, "month"),  # full-width digits
        ({"year": "0"}, "year"),
        ({"year": "abc"}, "year"),
        ({"market": HUGE}, "market"),
        ({"product": "-1"}, "product"),
        ({"ids": f"1,{HUGE}"}, "ids"),
        ({"ids": "1,x"}, "ids"),
        ({"result": "maybe"}, "result"),
    ],
)
def test_bad_filters_are_a_form_error_on_the_records_page(rt, params, field):
    response = rt.p.client("officer").get(reverse("rapidtest:records"), params)
    assert response.status_code == 400
    assert field in response.context["filter_errors"]
    assert f"<code>{field}</code>" in response.content.decode()
    export = rt.p.client("officer").get(reverse("rapidtest:records"), {**params, "export": "csv"})
    assert export.status_code == 400


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "9999-12"}, "month"),
        ({"month": "0001-01"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"year": "10000"}, "year"),
        ({"market": HUGE}, "market"),
        ({"ids": f"{HUGE}"}, "ids"),
        ({"ids": "3," * 1001}, "ids"),
    ],
)
def test_bad_filters_are_a_4xx_in_the_apis_shape(rt, params, field):
    response = rt.p.client("officer").get(f"{API}/records", params)
    assert 400 <= response.status_code < 500, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"], body


def test_good_filters_still_filter(rt):
    from zhizao.rapidtest import services
    from zhizao.rapidtest.tests.conftest import record_data

    record, _ = services.record_test_result(rt.p.tester, record_data(rt))
    month = record.tested_at.astimezone().strftime("%Y-%m")
    body = rt.p.client("officer").get(f"{API}/records", {"month": month}).json()
    assert body["count"] == 1
    response = rt.p.client("officer").get(reverse("rapidtest:records"), {"ids": str(record.pk)})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
