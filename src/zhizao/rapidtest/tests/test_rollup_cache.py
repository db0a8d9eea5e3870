"""The fast paths: the dashboard's market × month response is cached per rollup version and must
follow every write path; the bulk import's set-wise rollups and cases equal a recount."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhizao.indicators.rates import pass_rate
from zhizao.rapidtest import figures, rollups, services
from zhizao.rapidtest.models import FollowUpCase, TestRecord

from . import test_import as imported
from .conftest import record_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/rapidtest/dashboard/market-month"


def expected(market_ids):
    """The market × month figures computed afresh from the records, scalar engine formula."""
    rows = []
    recounted = sorted(rollups.recount_market_month().items())
    for (market_id, month), (tests, _tests_failed, total, failed) in recounted:
        if market_id not in market_ids or not total:
            continue
        rate = pass_rate(total - failed, total)
        rows.append(
            {
                "market_id": market_id,
                "month": month.strftime("%Y-%m"),
                "total": total,
                "failed": failed,
                "passed": total - failed,
                "tests": tests,
                "rate": pytest.approx(rate.rate * 100, abs=1e-9),
                "low": pytest.approx(rate.low * 100, abs=1e-9),
                "high": pytest.approx(rate.high * 100, abs=1e-9),
            }
        )
    return rows


def test_dashboard_cache_follows_every_write_path(rt):
    officer = rt.p.client("officer")
    both = {rt.market.pk, rt.other_market.pk}

    def check():
        response = officer.get(URL)
        assert response.status_code == 200
        assert response.json()["rows"] == expected(both)
        return response.json()["rows"]

    assert check() == []
    records = [
        services.record_test_result(
            rt.p.tester,
            record_data(
                rt, value="70" if i % 3 == 0 else "10", tested_at=rt.now - timedelta(days=40 * i)
            ),
        )[0]
        for i in range(6)
    ]
    first = check()
    assert sum(row["total"] for row in first) == 6
    assert check() == first  # served again (from the cache) unchanged
    services.record_test_result(
        rt.p.officer,
        record_data(rt, market=rt.other_market, product=rt.pork, item=rt.clen, value="阳性"),
    )
    assert {row["market_id"] for row in check()} == both
    services.correct_test_record(rt.p.officer, records[0], {"value": "5"}, "re-read")
    services.correct_test_record(
        rt.p.officer, records[1], {"tested_at": rt.now - timedelta(days=700)}, "wrong date"
    )
    check()
    services.delete_test_record(rt.p.officer, records[2], "duplicate")
    check()
    assert services.import_test_records(
        rt.p.tester, imported.write_csv(imported.GOOD), file_name="g.csv"
    ).ok
    after_import = check()
    # A refused import changes nothing: same figures, same version.
    token = rollups.version()
    bad = services.import_test_records(
        rt.p.tester, imported.write_csv(imported.bad_rows()), file_name="b.csv"
    )
    assert not bad.ok
    assert rollups.version() == token
    assert check() == after_import
    rollups.rebuild()
    assert check() == after_import


def test_dashboard_cache_respects_each_readers_scope(rt):
    services.record_test_result(rt.p.tester, record_data(rt))
    services.record_test_result(
        rt.p.officer,
        record_data(rt, market=rt.other_market, product=rt.pork, item=rt.clen, value="阴性"),
    )
    city = rt.p.client("officer").get(URL).json()["rows"]
    assert {row["market_id"] for row in city} == {rt.market.pk, rt.other_market.pk}
    district = rt.p.client("district_officer").get(URL).json()["rows"]
    assert [row["market_id"] for row in district] == [rt.other_market.pk]
    assert rt.p.client("tester").get(URL).status_code == 403
    assert rt.p.client("anonymous").get(URL).status_code == 401


def test_rollup_version_changes_with_every_write(rt):
    tokens = [rollups.version()]
    record, _ = services.record_test_result(rt.p.tester, record_data(rt))
    tokens.append(rollups.version())
    services.correct_test_record(rt.p.officer, record, {"value": "80"}, "typo")
    tokens.append(rollups.version())
    services.delete_test_record(rt.p.officer, record, "duplicate")
    tokens.append(rollups.version())
    services.import_test_records(rt.p.tester, imported.write_csv(imported.GOOD), file_name="g.csv")
    tokens.append(rollups.version())
    assert len(set(tokens)) == len(tokens)


def test_market_month_rows_match_the_scalar_engine(rt):
    for index in range(25):
        services.record_test_result(
            rt.p.tester,
            record_data(
                rt,
                value="60" if index % 5 == 0 else "1",
                tested_at=rt.now - timedelta(days=index * 9),
            ),
        )
    assert figures.market_month(rt.p.officer) == expected({rt.market.pk, rt.other_market.pk})


def test_import_sets_rollups_and_cases_set_wise(rt):
    outcome = services.import_test_records(
        rt.p.tester, imported.write_csv(imported.GOOD), file_name="t.csv"
    )
    assert outcome.ok, outcome.errors
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_market_month() == rollups.recount_market_month()
    failed = TestRecord.objects.get(passed=False)
    case = FollowUpCase.objects.get()
    assert case.record == failed
    assert case.market_id == failed.market_id
    assert case.opened_at == failed.tested_at
    assert case.due_at == failed.tested_at + timedelta(hours=72)
    assert case.status == "open"
    assert (case.held_kg, case.lab_result, case.supplier_traced) == (0, "", False)
    history = case.history.get()
    assert history.history_type == "+"
    assert history.history_user == rt.p.tester
    assert abs(history.history_date - timezone.now()) < timedelta(minutes=5)
    assert (history.record_id, history.market_id, history.due_at) == (
        case.record_id,
        case.market_id,
        case.due_at,
    )


def test_import_repeated_record_id_within_one_block_is_a_bad_row(rt):
    rows = [list(imported.GOOD[0]), list(imported.GOOD[0])]
    rows[1][13] = ""
    outcome = services.import_test_records(
        rt.p.tester, imported.write_csv(rows), file_name="dup.csv"
    )
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(3, "record_id")]
    assert TestRecord.objects.count() == 0
