"""The upload template's sample row names the user's market and one of its booths, so the
template imports as downloaded (issue 19: it lacked the market's credit code)."""

import csv
import io

import openpyxl
import pytest

from zhizao.rapidtest import services
from zhizao.rapidtest.models import Stall, TestRecord

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tester_template_imports_as_downloaded(rt, kind, language):
    # The booth the old sample row named (A01) does not exist in this market.
    Stall.objects.filter(market=rt.market, booth_number="A01").delete()
    response = rt.p.client("tester").get(f"/rapidtest/template/{language}.{kind}")
    assert response.status_code == 200
    if kind == "csv":
        cells = [
            c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row
        ]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert rt.market.credit_code in cells
    outcome = services.import_test_records(
        rt.p.tester, io.BytesIO(response.content), file_name=f"template.{kind}"
    )
    assert outcome.ok, outcome.errors
    record = TestRecord.objects.get()
    assert (record.market, record.stall.booth_number) == (rt.market, "A02")


def test_an_officers_template_names_the_chosen_market(rt):
    url = f"/rapidtest/template/zh-hans.csv?market={rt.market.pk}"
    response = rt.p.client("officer").get(url)
    assert rt.market.credit_code in response.content.decode("utf-8-sig")
    outcome = services.import_test_records(
        rt.p.officer, io.BytesIO(response.content), file_name="officer-template.csv"
    )
    assert outcome.ok, outcome.errors
    assert TestRecord.objects.get().market == rt.market
