"""Test personas, one per role, shared by every app's tests (pytest plugin, see conftest.py).

- ``officer``: bureau staff of the whole city (株洲市)
- ``district_officer``: bureau staff of 天元区 only
- ``alice`` / ``bob``: enterprise users of two different enterprises (A in 天元区, B in 石峰区)
- ``tester``: market tester of a farmers' market (芦淞区)
- ``provider``: service provider (an inspection body)
- ``assessor`` / ``committee``: award assessor and committee member
- ``admin``: superuser; ``anonymous``: the public
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from zhizao.core import services
from zhizao.core.actors import acting_as, system_actor
from zhizao.core.choices import OrganizationKind, Role
from zhizao.core.demo import load_regions, synthetic_credit_code
from zhizao.core.models import Organization, Region, User

PASSWORD = "persona-password"


@dataclass
class Personas:
    city: Region
    tianyuan: Region
    shifeng: Region
    lusong: Region
    org_a: Organization
    org_b: Organization
    market: Organization
    provider_org: Organization
    officer: User
    district_officer: User
    alice: User
    bob: User
    tester: User
    provider: User
    assessor: User
    committee: User
    admin: User
    anonymous: AnonymousUser

    def client(self, name: str) -> Client:
        """A test client logged in as the named persona ("anonymous" for none)."""
        client = Client()
        if name != "anonymous":
            client.force_login(getattr(self, name))
        return client

    def all_names(self) -> list[str]:
        return [
            "anonymous",
            "officer",
            "district_officer",
            "alice",
            "bob",
            "tester",
            "provider",
            "assessor",
            "committee",
            "admin",
        ]


def make_organization(
    name: str, region: Region, kind: str = OrganizationKind.ENTERPRISE, **extra: object
) -> Organization:
    organization = Organization(
        name=name,
        credit_code=synthetic_credit_code(name, region.code or "430200"),
        kind=kind,
        region=region,
        is_synthetic=True,
        **extra,
    )
    organization.full_clean()
    with acting_as(system_actor()):
        organization.save()
    return organization


@pytest.fixture
def city(db: None) -> Region:
    return load_regions()


@pytest.fixture
def personas(city: Region) -> Personas:
    tianyuan = Region.objects.get(code="430211")
    shifeng = Region.objects.get(code="430204")
    lusong = Region.objects.get(code="430203")
    org_a = make_organization("甲测试企业有限公司", tianyuan, contact_phone="0731-1111111")
    org_b = make_organization("乙测试企业有限公司", shifeng, contact_phone="0731-2222222")
    market = make_organization("测试农贸市场", lusong, OrganizationKind.FARMERS_MARKET)
    provider_org = make_organization("测试检验检测中心", city, OrganizationKind.INSPECTION_BODY)

    def user(name: str, role: str, **kwargs: object) -> User:
        return services.create_user(username=name, password=PASSWORD, role=role, **kwargs)  # type: ignore[arg-type]

    return Personas(
        city=city,
        tianyuan=tianyuan,
        shifeng=shifeng,
        lusong=lusong,
        org_a=org_a,
        org_b=org_b,
        market=market,
        provider_org=provider_org,
        officer=user("officer", Role.BUREAU_STAFF, region=city),
        district_officer=user("district_officer", Role.BUREAU_STAFF, region=tianyuan),
        alice=user("alice", Role.ENTERPRISE, organization=org_a),
        bob=user("bob", Role.ENTERPRISE, organization=org_b),
        tester=user("tester", Role.MARKET_TESTER, organization=market),
        provider=user("provider", Role.SERVICE_PROVIDER, organization=provider_org),
        assessor=user("assessor", Role.ASSESSOR),
        committee=user("committee", Role.COMMITTEE),
        admin=user("admin", "", is_superuser=True),
        anonymous=AnonymousUser(),
    )


# --- Browser tests -----------------------------------------------------------------------------
# Playwright drives Debian's /usr/bin/chromium (installed by `make test`). A missing browser is a
# failure, never a skip: browser tests must run in CI.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The live server's ORM calls run in its own thread; Playwright's sync API keeps an event
    # loop in the test thread, which Django would otherwise refuse to run ORM calls beside.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Inside that event loop Django's context-local `connections` hands the test thread new
    # connection objects, without the snapshot that serialized rollback restores reference
    # data (message templates, the test catalogue) from: carry the snapshot over.
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                setattr(connections[alias], "_test_serialized_contents", snapshot)  # noqa: B010
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser page (own cookies) for a test using ``live_server``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ and return its path."""
    target = ARTIFACTS / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target


def browser_login(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    # Each role lands on its daily job (core.navigation): wait until the login page is left.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# --- Background tasks --------------------------------------------------------------------------


def run_queued_tasks() -> int:
    """Run every task that is ready in the database queue, as the ``db_worker`` would (its own
    ``run_task``); return how many ran. For tests inside a transaction, where the worker's
    exclusive SQLite transaction cannot start; tests with ``transaction=True`` run the real
    ``db_worker --batch`` instead."""
    from django_tasks.backends.database.management.commands.db_worker import Worker
    from django_tasks.backends.database.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
    )
    ran = 0
    while (ready := DBTaskResult.objects.ready().first()) is not None:
        ready.claim(worker.worker_id)
        worker.run_task(ready)
        ran += 1
    return ran


# --- Guards ------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A transactional test must restore the reference data (serialized rollback): one that
    does not flushes the database and lets post_migrate re-create content types, which breaks
    the next serialized test's restore ("UNIQUE constraint failed: django_content_type")."""
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        transactional = marker.kwargs.get("transaction", False)
        serialized = marker.kwargs.get("serialized_rollback", False)
        if transactional and not serialized:
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "django_db(transaction=True) needs serialized_rollback=True: " + ", ".join(offenders)
        )
