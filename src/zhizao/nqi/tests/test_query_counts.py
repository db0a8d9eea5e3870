"""Query counts of the quality-infrastructure list pages and API lists, on more rows than the
bound: one query per row cannot pass (``assert_list_queries`` in core/testing.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from zhizao.core.testing import assert_list_queries, make_organization
from zhizao.funds.tests import factories as fund_factories
from zhizao.nqi import services
from zhizao.nqi.choices import (
    BodyLevel,
    CommitteeKind,
    Designation,
    Element,
    InnovationKind,
    PilotKind,
    Scheme,
    Stage,
)
from zhizao.nqi.models import OneStopPilot

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def registers(personas: Any) -> SimpleNamespace:
    """ROWS of every register, each row with its own organization, and a one-stop request per
    pilot that has gone all the way (routed, delivered, rated)."""
    officer = personas.officer
    orgs = [
        make_organization(f"查询计数单位{i:02d}有限公司", personas.tianyuan) for i in range(ROWS)
    ]
    year = timezone.localdate().year
    start = timezone.make_aware(dt.datetime(year, 1, 5, 9))
    committees, pilots, grants, bodies, offerings, requests = [], [], [], [], [], []
    fund_factories.programme(personas.tianyuan, code="tianyuan-reward-2021", year=2021)
    for i, org in enumerate(orgs):
        committees.append(
            services.create_committee(
                officer,
                {
                    "number": f"SAC/TC {500 + i}",
                    "name": f"委员会{i:02d}",
                    "secretariat": org,
                    "level": BodyLevel.NATIONAL,
                    "kind": CommitteeKind.TECHNICAL_COMMITTEE,
                },
            )
        )
        services.create_innovation_base(
            officer,
            {"name": f"创新中心{i:02d}", "kind": InnovationKind.STANDARDS_INNOVATION_CENTRE,
             "level": BodyLevel.PROVINCIAL, "region": personas.tianyuan, "host": org},
        )  # fmt: skip
        pilot = services.create_pilot(
            officer,
            {"name": f"标准化试点{i:02d}", "level": BodyLevel.PROVINCIAL,
             "region": personas.tianyuan, "organization": org,
             "starts_on": dt.date(2019, 1, 1), "ends_on": dt.date(2021, 1, 1)},
        )  # fmt: skip
        pilots.append(
            services.accept_pilot(officer, pilot, on=dt.date(2021, 3, 1), score=Decimal("90.5"))
        )
        grants.append(
            services.record_reward_grant(
                personas.district_officer,
                {
                    "payer": personas.tianyuan,
                    "recipient": org,
                    "amount": Decimal("1000.00") + i,
                    "paid_on": dt.date(2021, 5, 1),
                    "reason": "标准奖励",
                },
            )
        )
        body = services.register_quality_body(
            officer,
            {"organization": org, "designation": Designation.LABORATORY, "turnaround_days": i + 1},
        )
        services.add_accreditation(
            officer,
            body,
            {"scheme": Scheme.CNAS_LAB, "number": f"CNAS L{7000 + i}",
             "valid_from": dt.date(2015, 1, 1), "valid_until": dt.date(2099, 1, 1)},
            [{"product_category": "质量管理体系", "parameter": "审核",
              "standard_code": "GB/T 19001-2016"},
             {"product_category": "硬质合金", "parameter": "硬度",
              "standard_code": f"GB/T 3849.{1 + i % 2}-2015"}],
        )  # fmt: skip
        bodies.append(body)
        offerings.append(
            services.create_offering(
                officer,
                {
                    "title": f"计量器具校准{i:02d}",
                    "title_en": f"Calibration {i:02d}",
                    "description": "扭力扳手校准",
                    "description_en": "calibration",
                    "element": Element.METROLOGY,
                    "stage": Stage.PRODUCTION,
                },
                [
                    {
                        "provider": personas.provider_org,
                        "price_min": Decimal(100),
                        "price_max": Decimal(300),
                        "promised_days": 5,
                    },
                    {
                        "provider": org,
                        "price_min": Decimal(50),
                        "price_max": Decimal(90),
                        "promised_days": 3,
                    },
                ],
            )
        )
        one_stop = OneStopPilot.objects.create(
            name=f"一站式试点{i:02d}", name_en=f"Pilot {i:02d}", kind=PilotKind.ZONE,
            region=personas.tianyuan, city=personas.city, order=i,
        )  # fmt: skip
        item = services.file_request(personas.alice, f"扭力扳手校准请求{i:02d}", now=start)
        item.pilot = one_stop  # one request in each pilot (the filing picks the first)
        item.save(update_fields=["pilot"])
        item = services.route_request(
            officer, item, offerings[-1], personas.provider_org, now=start
        )
        item = services.accept_request(personas.provider, item, now=start)
        item = services.quote_request(personas.provider, item, Decimal(200), now=start)
        item = services.deliver_request(personas.provider, item, "报告", now=start)
        item = services.close_request(personas.provider, item, now=start)
        requests.append(services.rate_request(personas.alice, item, 1 + i % 5, now=start))
    return SimpleNamespace(
        orgs=orgs, committees=committees, pilots=pilots, grants=grants, bodies=bodies,
        offerings=offerings, requests=requests, year=year,
    )  # fmt: skip


def test_registers_page(personas: Any, registers: SimpleNamespace) -> None:
    assert_list_queries(
        personas.client("anonymous"),
        reverse("nqi:registers"),
        rows=ROWS,
        max_queries=8,
        shows=[c.number for c in registers.committees] + [o.name for o in registers.orgs],
    )


def test_capability_page_and_api(personas: Any, registers: SimpleNamespace) -> None:
    numbers = [f"CNAS L{7000 + i}" for i in range(ROWS)]
    for client in (personas.client("anonymous"), personas.client("officer")):
        assert_list_queries(
            client, "/nqi/capability/?q=GB/T%2019001", rows=ROWS, max_queries=8, shows=numbers
        )
        response = assert_list_queries(
            client, "/api/v1/nqi/capability?q=GB/T19001-2016", rows=ROWS, max_queries=6,
            shows=numbers,
        )  # fmt: skip
        assert len(response.json()) == ROWS
    assert_list_queries(
        personas.client("anonymous"),
        "/nqi/capability/?q=GB/T%2019001",
        rows=ROWS,
        max_queries=6,
        shows=numbers,
    )


def test_body_page(personas: Any, registers: SimpleNamespace) -> None:
    """One body, its accreditations and scope lines (prefetched, not one query per line)."""
    body = registers.bodies[0]
    for i in range(1, ROWS):
        services.add_accreditation(
            personas.officer,
            body,
            {"scheme": Scheme.CNAS_LAB, "number": f"CNAS L{8000 + i}",
             "valid_from": dt.date(2015, 1, 1), "valid_until": dt.date(2099, 1, 1)},
            [{"product_category": "金属材料", "parameter": f"参数{i}",
              "standard_code": "GB/T 228.1-2021"}],
        )  # fmt: skip
    assert_list_queries(
        personas.client("anonymous"),
        reverse("nqi:body", kwargs={"pk": body.organization_id}),
        rows=ROWS,
        max_queries=7,
        shows=[f"CNAS L{8000 + i}" for i in range(1, ROWS)],
    )


def test_catalogue_page_and_search_api(personas: Any, registers: SimpleNamespace) -> None:
    titles = [o.title for o in registers.offerings]
    assert_list_queries(
        personas.client("anonymous"),
        "/nqi/onestop/?q=%E6%A0%A1%E5%87%86",
        rows=ROWS,
        max_queries=8,
        shows=titles + [o.name for o in registers.orgs],
    )
    response = assert_list_queries(
        personas.client("anonymous"),
        "/api/v1/nqi/onestop/search?q=%E6%A0%A1%E5%87%86",
        rows=10,  # the search's limit
        max_queries=5,
    )
    assert len(response.json()) == 10


def test_request_lists(personas: Any, registers: SimpleNamespace) -> None:
    texts = [r.text for r in registers.requests]
    for name in ("alice", "officer", "provider"):
        client = personas.client(name)
        assert_list_queries(client, reverse("nqi:requests"), rows=ROWS, max_queries=9, shows=texts)
        response = assert_list_queries(
            client, "/api/v1/nqi/onestop/requests?limit=100", rows=ROWS, max_queries=7,
            shows=texts,
        )  # fmt: skip
        assert response.json()["count"] == ROWS


def test_request_page_for_staff(personas: Any, registers: SimpleNamespace) -> None:
    """The routing form lists every offer (ROWS × 2) without a query per offer."""
    item = services.file_request(personas.alice, "扭力扳手校准")
    assert_list_queries(
        personas.client("officer"),
        reverse("nqi:request", kwargs={"pk": item.pk}),
        rows=2 * ROWS,
        max_queries=12,
        shows=[o.name for o in registers.orgs],
    )


def test_dashboard_and_drilldown(personas: Any, registers: SimpleNamespace) -> None:
    year = registers.year
    assert_list_queries(
        personas.client("anonymous"),
        f"{reverse('nqi:dashboard')}?year={year}",
        rows=ROWS,
        max_queries=6,
        shows=[f"一站式试点{i:02d}" for i in range(ROWS)],
    )
    pilot = registers.requests[0].pilot
    extra = []
    for i in range(ROWS):
        item = services.file_request(personas.alice, f"追加请求{i:02d}")
        item.pilot = pilot
        item.save(update_fields=["pilot"])
        extra.append(item.text)
    assert_list_queries(
        personas.client("anonymous"),
        f"{reverse('nqi:dashboard_requests', kwargs={'pk': pilot.pk})}?year={year}",
        rows=ROWS + 1,
        max_queries=6,
        shows=[*extra, registers.requests[0].text],
    )
