"""Snapshots: what a report publishes is stored, never recomputed under a reader's feet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from zhizao.core import figures
from zhizao.core.choices import JobState
from zhizao.core.figures import Direction, Indicator, Measure, Period
from zhizao.core.models import Job, Organization, Region
from zhizao.core.testing import make_organization, run_queued_tasks
from zhizao.reports import services
from zhizao.reports.choices import SnapshotState
from zhizao.reports.models import Snapshot

pytestmark = pytest.mark.django_db


def _organizations(region, year):
    return Organization.objects.filter(figures.in_region(region, "region"))


def _share(region, year):
    part, total = _organizations(region, year).count(), Organization.objects.count()
    if not part:
        return Measure.missing(total, "区域内没有组织", "no organizations in the region")
    return Measure(figures.percent(part, total, 1), total)


COUNT = Indicator(
    code="zz_test.organizations",
    name=("组织数", "Organizations"),
    definition=("区域内组织数。", "Organizations in the region."),
    unit="家",
    standard="test",
    direction=Direction.HIGHER,
    period=Period.CUMULATIVE,
    measure=lambda region, year: figures.counted(_organizations(region, year)),
    records=_organizations,
    columns=(),
)
SHARE = Indicator(
    code="zz_test.share",
    name=("组织占比", "Share of organizations"),
    definition=("区域内组织占全部组织的比例。", "The region's share of all organizations."),
    unit="%",
    standard="test",
    direction=Direction.NEITHER,
    period=Period.CUMULATIVE,
    measure=_share,
    records=_organizations,
    columns=(),
    published=False,
)


@pytest.fixture
def indicators():
    figures.register(COUNT, SHARE)
    yield
    figures.unregister(COUNT.code)
    figures.unregister(SHARE.code)


def test_a_snapshot_stores_every_indicator_as_computed(personas, indicators):
    snapshot = services.take_snapshot(personas.officer, personas.city, 2021)

    stored = services.snapshot_figures(snapshot, published_only=False)
    assert set(stored) == {indicator.code for indicator in figures.indicators()}
    assert snapshot.state == SnapshotState.DONE
    assert snapshot.code_version.startswith("0.")
    count = stored[COUNT.code]
    live = COUNT.compute(personas.city, 2021)
    assert count.typed_value == live.value == Organization.objects.count()
    assert isinstance(count.typed_value, int)
    assert count.records == live.records
    share = stored[SHARE.code]
    assert share.typed_value == Decimal("100")
    assert not share.integral


def test_published_figures_do_not_change_when_records_do(personas, indicators):
    first = services.take_snapshot(personas.officer, personas.city, 2021)
    services.publish(personas.officer, first)
    before = services.published_figures(personas.city, 2021)[COUNT.code].typed_value
    assert isinstance(before, int)

    make_organization("丙测试企业有限公司", personas.tianyuan)

    assert services.published_figures(personas.city, 2021)[COUNT.code].typed_value == before
    second = services.take_snapshot(personas.officer, personas.city, 2021)
    changed = {change.code: change for change in services.changes(first, second)}
    # The share's value stays 100 % but it counts one more record: a change too.
    assert set(changed) == {COUNT.code, SHARE.code}
    assert (changed[COUNT.code].before, changed[COUNT.code].after) == (before, before + 1)
    assert changed[SHARE.code].before == changed[SHARE.code].after
    records_before = changed[SHARE.code].records_before
    assert records_before is not None
    assert changed[SHARE.code].records_after == records_before + 1
    # Until the new snapshot is published, the public still sees the first one.
    assert services.published_snapshot(personas.city, 2021) == first
    services.publish(personas.officer, second)
    assert services.published_snapshot(personas.city, 2021) == second


def test_staff_only_indicators_are_not_published(personas, indicators):
    snapshot = services.take_snapshot(personas.officer, personas.city, 2021)
    services.publish(personas.officer, snapshot)

    published = services.published_figures(personas.city, 2021)
    assert COUNT.code in published
    assert SHARE.code not in published


def test_a_figure_without_value_keeps_its_reason(personas, indicators):
    empty = Region.objects.get(code="430202")  # 荷塘区: no organization of the personas
    snapshot = services.take_snapshot(personas.officer, empty, 2021)
    share = snapshot.figures.get(code=SHARE.code)
    assert share.value is None
    assert (share.reason_zh, share.reason_en) == (
        "区域内没有组织",
        "no organizations in the region",
    )
    assert share.records == Organization.objects.count()


@pytest.mark.parametrize("name", ["alice", "tester", "clerk", "assessor"])
def test_only_bureau_staff_of_the_region_compute_and_publish(personas, name):
    with pytest.raises(PermissionDenied):
        services.take_snapshot(getattr(personas, name), personas.city, 2021)


def test_a_district_officer_manages_the_district_not_the_city(personas):
    district = services.take_snapshot(personas.district_officer, personas.tianyuan, 2021)
    services.publish(personas.district_officer, district)
    with pytest.raises(PermissionDenied):
        services.take_snapshot(personas.district_officer, personas.city, 2021)
    city = services.take_snapshot(personas.officer, personas.city, 2021)
    with pytest.raises(PermissionDenied):
        services.publish(personas.district_officer, city)


def test_a_snapshot_being_computed_cannot_be_published(personas):
    snapshot = Snapshot.objects.create(
        region=personas.city, year=2021, code_version="x", created_by=personas.officer
    )
    with pytest.raises(ValidationError):
        services.publish(personas.officer, snapshot)


def test_unpublished_snapshots_are_seen_by_staff_of_the_region_only(personas):
    city = services.take_snapshot(personas.officer, personas.city, 2021)
    district = services.take_snapshot(personas.district_officer, personas.tianyuan, 2021)

    assert set(Snapshot.objects.visible_to(personas.officer)) == {city, district}
    assert set(Snapshot.objects.visible_to(personas.district_officer)) == {district}
    assert not Snapshot.objects.visible_to(personas.anonymous).exists()
    services.publish(personas.officer, city)
    assert list(Snapshot.objects.visible_to(personas.anonymous)) == [city]
    assert list(Snapshot.objects.visible_to(personas.alice)) == [city]


def test_the_recomputation_runs_as_a_background_job(
    personas, indicators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_snapshot(personas.officer, personas.city, 2021, publish=True)
    assert run_queued_tasks() == 1

    job = Job.objects.get(pk=job.pk)
    assert job.state == JobState.DONE, job.errors
    assert job.rows_written == job.rows_total == len(figures.indicators())
    snapshot = services.published_snapshot(personas.city, 2021)
    assert snapshot is not None
    assert snapshot.pk == job.summary["snapshot"]
    assert snapshot.history.first().history_user == personas.officer


def test_a_user_without_the_right_cannot_start_the_job(personas):
    with pytest.raises(PermissionDenied):
        services.start_snapshot(personas.alice, personas.city, 2021)


def test_the_command_takes_and_publishes_a_snapshot(personas, indicators, capsys):
    call_command("snapshot", "--city", "株洲市", "--year", "2021", "--publish")
    call_command("snapshot", "--city", "430200", "--year", "2021")
    out = capsys.readouterr().out
    assert "published" in out.splitlines()[0]
    assert "0 changed since publication" in out.splitlines()[1]
    assert Snapshot.objects.filter(region=personas.city, year=2021).count() == 2
