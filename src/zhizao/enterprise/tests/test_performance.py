"""Yearly performance: checks that refuse, checks that ask for confirmation, review, audit,
and the computed changes (through the engine) on records the test makes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhizao.enterprise import services
from zhizao.enterprise.choices import PerformanceStatus
from zhizao.enterprise.demo import ZHUYING
from zhizao.enterprise.models import EnterprisePerformance

pytestmark = pytest.mark.django_db


def test_bad_values_are_refused_with_their_field(personas):
    with pytest.raises(ValidationError) as raised:
        services.report_performance(
            personas.alice,
            personas.org_a,
            2020,
            {"output": "-5", "first_pass_yield": "100.5", "patents_valid": "3.5"},
        )
    errors = raised.value.message_dict
    assert errors["patents_valid"] == ["Give a whole number."]
    with pytest.raises(ValidationError) as raised:
        services.report_performance(
            personas.alice, personas.org_a, 2020, {"output": "-5", "first_pass_yield": "100.5"}
        )
    errors = raised.value.message_dict
    assert errors["output"] == ["A negative value cannot be reported."]
    assert errors["first_pass_yield"] == ["A percentage cannot be over 100."]
    with pytest.raises(ValidationError, match="not a float"):
        services.report_performance(personas.alice, personas.org_a, 2020, {"output": 1.5})
    with pytest.raises(ValidationError, match="cannot be more"):
        services.report_performance(
            personas.alice, personas.org_a, 2020, {"patents_valid": 5, "patents_invention": 6}
        )
    assert not EnterprisePerformance.objects.exists()


def test_a_tenfold_jump_asks_for_confirmation(personas):
    services.report_performance(personas.alice, personas.org_a, 2019, {"output": "100"})
    with pytest.raises(ValidationError, match="more than 10×") as raised:
        services.report_performance(personas.alice, personas.org_a, 2020, {"output": "1001"})
    assert list(raised.value.message_dict) == ["confirm"]
    assert not EnterprisePerformance.objects.filter(year=2020).exists()
    row = services.report_performance(
        personas.alice, personas.org_a, 2020, {"output": "1001"}, confirm=["jump:output"]
    )
    assert row.confirmed_checks == ["jump:output"]
    assert row.status == PerformanceStatus.REPORTED


def test_reports_are_reviewed_by_staff_of_the_region_and_audited(personas):
    for name in ("bob", "tester", "assessor"):
        with pytest.raises(PermissionDenied):
            services.report_performance(getattr(personas, name), personas.org_a, 2020, {})
    row = services.report_performance(personas.alice, personas.org_a, 2020, {"orders": "10"})
    with pytest.raises(PermissionDenied):
        services.review_performance(personas.alice, row, accept=True)
    with pytest.raises(ValidationError, match="Say what to correct"):
        services.review_performance(personas.district_officer, row, accept=False)
    returned = services.review_performance(
        personas.district_officer, row, accept=False, note="订货量单位有误"
    )
    assert returned.status == PerformanceStatus.RETURNED
    corrected = services.report_performance(personas.alice, personas.org_a, 2020, {"orders": "12"})
    reviewed = services.review_performance(personas.district_officer, corrected, accept=True)
    assert reviewed.status == PerformanceStatus.REVIEWED
    with pytest.raises(ValidationError, match="has been reviewed"):
        services.report_performance(personas.alice, personas.org_a, 2020, {"orders": "13"})
    users = [h.history_user for h in reviewed.history.order_by("history_id")]
    assert users == [
        personas.alice,
        personas.district_officer,
        personas.alice,
        personas.district_officer,
    ]
    assert [str(h.orders) for h in reviewed.history.order_by("history_id")][1:3] == [
        "10.00",
        "12.00",
    ]
    # Staff enter reviewed values themselves.
    staff_row = services.report_performance(personas.officer, personas.org_b, 2020, {"orders": "1"})
    assert staff_row.status == PerformanceStatus.REVIEWED


def test_changes_are_computed_from_the_reported_values(personas):
    for year, (output, orders, shipments, value, internal, external) in ZHUYING.items():
        services.report_performance(
            personas.alice,
            personas.org_a,
            year,
            {
                "output": output,
                "orders": orders,
                "shipments": shipments,
                "output_value": value,
                "internal_loss_cost": internal,
                "external_loss_cost": external,
            },
        )
    rows = list(EnterprisePerformance.objects.filter(organization=personas.org_a))
    changes = {(c.metric, c.year, c.base_year): c for c in services.performance_changes(rows)}
    assert changes[("output", 2020, 2019)].percent == 10.55
    assert changes[("orders", 2020, 2019)].percent == 10.36
    assert changes[("shipments", 2020, 2019)].percent == 5.08
    cost = changes[("unit_quality_loss_cost", 2020, 2015)]
    assert cost.base == pytest.approx(36_000_000 / 3_000_000_000)
    assert cost.current == pytest.approx(7_740_000 / 4_300_000_000)
    assert cost.percent == -85.0
    assert ("output", 2016, 2011) not in changes  # no base year, no change


def test_the_page_asks_for_confirmation_then_saves(personas):
    from django.urls import reverse

    services.report_performance(personas.alice, personas.org_a, 2019, {"output": "100"})
    client = personas.client("alice")
    url = reverse("enterprise:performance", args=[personas.org_a.credit_code])
    response = client.post(url, {"year": "2020", "output": "5000"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="jump:output"' in body
    assert "more than 10×" in body
    assert not EnterprisePerformance.objects.filter(year=2020).exists()
    response = client.post(url, {"year": "2020", "output": "5000", "confirm": "jump:output"})
    assert response.status_code == 302
    row = EnterprisePerformance.objects.get(year=2020)
    assert (row.output, row.confirmed_checks) == (5000, ["jump:output"])
    review = reverse("enterprise:performance_review", args=[personas.org_a.credit_code, 2020])
    assert personas.client("bob").post(review, {"accept": "on"}).status_code == 403
    personas.client("district_officer").post(review, {"accept": "on"})
    row.refresh_from_db()
    assert row.status == PerformanceStatus.REVIEWED
