"""Engineering quality: acceptance attempts (first-time pass, re-acceptance with reasons),
inspections, the registry's Luban/Furong honours linked, the figures and the rates by group."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhizao.core import figures
from zhizao.engineering import services
from zhizao.engineering.choices import Grouping, ProjectKind
from zhizao.engineering.models import Acceptance, Inspection
from zhizao.registry import services as registry_services
from zhizao.registry.choices import HolderKind, HonourKind

pytestmark = pytest.mark.django_db


def _project(personas, kind=ProjectKind.CONSTRUCTION, region=None, name="测试工程"):
    return services.create_project(
        personas.officer,
        name=name,
        kind=kind,
        region=region or personas.tianyuan,
        builder=personas.org_a,
    )


def test_acceptance_attempts(personas):
    project = _project(personas)
    for name in ("alice", "tester", "assessor"):  # 天元区's own staff may act: see below
        with pytest.raises(PermissionDenied):
            services.record_acceptance(
                getattr(personas, name), project, accepted_on=dt.date(2021, 5, 1), passed=True
            )
    assert not Acceptance.objects.exists()
    with pytest.raises(ValidationError, match="reasons"):
        services.record_acceptance(
            personas.officer, project, accepted_on=dt.date(2021, 5, 1), passed=False
        )
    first = services.record_acceptance(
        personas.district_officer,
        project,
        accepted_on=dt.date(2021, 5, 1),
        passed=False,
        reasons="渗漏",
    )
    with pytest.raises(ValidationError, match="before the previous"):
        services.record_acceptance(
            personas.officer, project, accepted_on=dt.date(2021, 4, 1), passed=True
        )
    second = services.record_acceptance(
        personas.officer, project, accepted_on=dt.date(2021, 6, 1), passed=True
    )
    assert (first.attempt, second.attempt) == (1, 2)
    assert first.history.get().history_user == personas.district_officer
    with pytest.raises(ValidationError, match="already passed"):
        services.record_acceptance(
            personas.officer, project, accepted_on=dt.date(2021, 7, 1), passed=True
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Acceptance.objects.filter(pk=first.pk).update(reasons="")


def test_first_pass_rate_counts_first_attempts_of_construction_projects(personas):
    for index, passed in enumerate((True, True, False, True)):
        project = _project(personas, name=f"工程{index}")
        services.record_acceptance(
            personas.officer,
            project,
            accepted_on=dt.date(2021, 3, 1),
            passed=passed,
            reasons="" if passed else "裂缝",
        )
        if not passed:
            services.record_acceptance(
                personas.officer, project, accepted_on=dt.date(2021, 9, 1), passed=True
            )
    water = _project(personas, ProjectKind.WATER_CONSERVANCY, name="水库")
    services.record_acceptance(
        personas.officer, water, accepted_on=dt.date(2021, 3, 1), passed=False, reasons="x"
    )
    indicator = figures.get("engineering.first_pass_rate")
    assert indicator is not None
    computed = indicator.compute(personas.city, 2021)
    assert (computed.value, computed.records) == (Decimal("75.00"), 4)
    assert indicator.records(personas.city, 2021).count() == 4
    assert indicator.compute(personas.shifeng, 2021).value is None
    rows = {
        row.key: row
        for row in services.rates(
            Acceptance.objects.filter(attempt=1), Grouping.KIND, "accepted_on"
        )
    }
    assert (rows[ProjectKind.CONSTRUCTION].rate, rows[ProjectKind.WATER_CONSERVANCY].rate) == (
        75.0,
        0.0,
    )


def test_inspection_pass_rates(personas):
    water = _project(personas, ProjectKind.WATER_CONSERVANCY, name="水库")
    road = _project(personas, ProjectKind.TRANSPORT, name="公路", region=personas.shifeng)
    with pytest.raises(ValidationError, match="findings"):
        services.record_inspection(
            personas.officer,
            water,
            inspected_on=dt.date(2021, 2, 1),
            inspector="质监站",
            passed=False,
        )
    services.record_inspection(
        personas.officer, water, inspected_on=dt.date(2021, 2, 1), inspector="质监站", passed=True
    )
    services.record_inspection(
        personas.officer,
        water,
        inspected_on=dt.date(2021, 3, 1),
        inspector="质监站",
        passed=False,
        findings="渗漏",
    )
    services.record_inspection(
        personas.officer, road, inspected_on=dt.date(2021, 3, 1), inspector="质监站", passed=True
    )
    water_rate = figures.get("engineering.water_conservancy.pass_rate")
    road_rate = figures.get("engineering.transport.pass_rate")
    assert water_rate is not None
    assert road_rate is not None
    assert water_rate.compute(personas.city, 2021).value == Decimal("50.00")
    assert (
        road_rate.compute(personas.city, 2021).value,
        road_rate.compute(personas.city, 2021).records,
    ) == (
        Decimal("100.00"),
        1,
    )
    assert road_rate.compute(personas.tianyuan, 2021).value is None
    [year] = services.rates(Inspection.objects.filter(project=water), Grouping.YEAR, "inspected_on")
    assert (year.key, year.total, year.rate) == (2021, 2, 50.0)


def test_luban_honour_is_linked_from_the_registry(personas):
    project = _project(personas)
    luban = registry_services.create_honour(
        personas.officer,
        {
            "kind": HonourKind.LUBAN_AWARD,
            "holder_kind": HolderKind.PROJECT,
            "holder_name": "测试工程",
            "city": personas.city,
        },
    )
    trademark = registry_services.create_honour(
        personas.officer,
        {
            "kind": HonourKind.MADRID_TRADEMARK,
            "holder_kind": HolderKind.PRODUCT,
            "holder_name": "某商标",
            "city": personas.city,
        },
    )
    with pytest.raises(ValidationError, match="Luban or Furong"):
        services.link_honour(personas.officer, project, trademark)
    link = services.link_honour(personas.officer, project, luban)
    assert list(project.honour_links.all()) == [link]
    with pytest.raises(ValidationError, match="already linked"):
        services.link_honour(personas.officer, _project(personas, name="另一工程"), luban)
    page = personas.client("officer").get(f"/engineering/projects/{project.pk}/").content.decode()
    assert "/honours/kinds/luban_award/" in page
