"""Test personas, one per role, shared by every app's tests (pytest plugin, see conftest.py).

- ``officer``: bureau staff of the whole city (株洲市)
- ``district_officer``: bureau staff of 天元区 only
- ``alice`` / ``bob``: enterprise users of two different enterprises (A in 天元区, B in 石峰区)
- ``tester``: market tester of a farmers' market (芦淞区)
- ``provider``: service provider (an inspection body)
- ``assessor`` / ``committee``: award assessor and committee member
- ``clerk``: department user of the city's education bureau (株洲市教育局), which submits the
  bureau's figures (zhizao.plans); it sees its own department's records only
- ``sysadmin`` / ``secadmin`` / ``auditor``: the system, security and audit administrators
  (三员分立: each holds that one role; none is a superuser)
- ``admin``: superuser (an install's first day only); ``anonymous``: the public

It also holds the shared test machinery: the persona × action permission matrix that every
app's pages and API operations plug into (see "Permission matrix" in docs/core.md), and the
query-count assertion of list pages and API lists.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
    department: Organization
    officer: User
    district_officer: User
    alice: User
    bob: User
    tester: User
    provider: User
    assessor: User
    committee: User
    clerk: User
    sysadmin: User
    secadmin: User
    auditor: User
    admin: User
    anonymous: AnonymousUser

    def client(self, name: str) -> Client:
        """A test client logged in as the named persona ("anonymous" for none)."""
        client = Client()
        if name != "anonymous":
            client.force_login(getattr(self, name))
        return client

    def all_names(self) -> list[str]:
        return list(PERSONAS)


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
    department = make_organization("测试市教育局", city, OrganizationKind.GOVERNMENT)

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
        department=department,
        officer=user("officer", Role.BUREAU_STAFF, region=city),
        district_officer=user("district_officer", Role.BUREAU_STAFF, region=tianyuan),
        alice=user("alice", Role.ENTERPRISE, organization=org_a),
        bob=user("bob", Role.ENTERPRISE, organization=org_b),
        tester=user("tester", Role.MARKET_TESTER, organization=market),
        provider=user("provider", Role.SERVICE_PROVIDER, organization=provider_org),
        assessor=user("assessor", Role.ASSESSOR),
        committee=user("committee", Role.COMMITTEE),
        clerk=user("clerk", Role.DEPARTMENT, organization=department),
        sysadmin=user("sysadmin", Role.SYSTEM_ADMIN),
        secadmin=user("secadmin", Role.SECURITY_ADMIN),
        auditor=user("auditor", Role.AUDIT_ADMIN),
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


# --- Permission matrix ---------------------------------------------------------------------------
# Every page (named URL pattern) and every API operation (OpenAPI path × method) has a rule in
# the matrix module of the app that owns it, ``zhizao/<app>/tests/permission_matrix.py``:
#
#     PERMISSIONS = [
#         page("core:organization_detail", kwargs=lambda s: {"pk": s.org_b.pk}, label="org_b",
#              allow={"officer", "bob", "admin"}),
#         operation("GET /api/v1/people", allow=LOGGED_IN),
#     ]
#
# plus ``scenario(personas)``, which creates the objects the rules' kwargs and bodies name (one
# of the persona's own region or organization and one of another, so object-level rules are
# exercised). core/tests/test_permission_matrix.py fails for a page or an operation without a
# rule, and for a rule whose page or operation no longer exists.

PERSONAS: tuple[str, ...] = (
    "anonymous",
    "officer",
    "district_officer",
    "alice",
    "bob",
    "tester",
    "provider",
    "assessor",
    "committee",
    "clerk",
    "sysadmin",
    "secadmin",
    "auditor",
    "admin",
)
ALL = frozenset(PERSONAS)
LOGGED_IN = ALL - {"anonymous"}
STAFF = frozenset({"officer", "district_officer", "admin"})
CITY_STAFF = frozenset({"officer", "admin"})
ADMINISTRATORS = frozenset({"sysadmin", "secadmin", "auditor"})  # 三员分立


@dataclass(frozen=True)
class Expect:
    """An expected response: a status code; ``login`` a redirect to a login page, and a plain
    redirect one that is not. ``status`` None (NOT_REFUSED) is any response but a refusal or
    a server error: for a POST whose outcome, once allowed, depends on the data posted."""

    status: int | None
    login: bool = False

    def matches(self, response: HttpResponseBase) -> bool:
        code = response.status_code
        if self.status is None:
            return code < 500 and code not in REFUSALS and not _is_login_redirect(response)
        if code != self.status:
            return False
        if code in (301, 302):
            return _is_login_redirect(response) == self.login
        return True

    def __str__(self) -> str:
        if self.status is None:
            return "not refused"
        return f"{self.status} (login)" if self.login else str(self.status)


REFUSALS = frozenset({401, 403, 404, 405})


def _is_login_redirect(response: HttpResponseBase) -> bool:
    return urlsplit(response.get("Location", "")).path.endswith("/login/")


OK = Expect(200)
CREATED = Expect(201)
NO_CONTENT = Expect(204)
REDIRECT = Expect(302)
LOGIN = Expect(302, login=True)
BAD_REQUEST = Expect(400)
UNAUTHORIZED = Expect(401)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
NOT_ALLOWED = Expect(405)
NOT_REFUSED = Expect(None)

Scenario = Any
Kwargs = Callable[[Scenario], Mapping[str, Any]]
Body = Callable[[Scenario, str], Any]


@dataclass(frozen=True)
class Rule:
    """Who gets what from one page or API operation, for every persona.

    ``target`` is a URL name (``"core:organization_detail"``) or an API operation
    (``"PATCH /api/v1/organizations/{org_id}"``). Personas in ``allow`` get ``ok``, anonymous
    gets ``anonymous``, everyone else ``deny``; ``cells`` overrides single personas. ``bugs``
    names cells whose (correct) expectation the code does not meet yet: each runs as its own
    test, marked ``xfail(strict=True)``, so fixing the bug turns it into a failure that asks for
    the mark to go."""

    target: str
    method: str
    allow: frozenset[str]
    ok: Expect
    deny: Expect
    anonymous: Expect
    kwargs: Kwargs | None = None
    query: str = ""
    body: Body | None = None
    cells: Mapping[str, Expect] = field(default_factory=dict)
    bugs: Mapping[str, str] = field(default_factory=dict)
    label: str = ""
    urls: Callable[[Scenario], list[str]] | None = None

    @property
    def is_operation(self) -> bool:
        return " " in self.target

    @property
    def id(self) -> str:
        name = self.target if self.is_operation else f"{self.method.upper()} {self.target}"
        return f"{name} [{self.label}]" if self.label else name

    def expected(self, persona: str) -> Expect:
        if persona in self.cells:
            return self.cells[persona]
        if persona in self.allow:
            return self.ok
        return self.anonymous if persona == "anonymous" else self.deny

    def resolve(self, scenario: Scenario) -> list[str]:
        if self.urls is not None:
            return self.urls(scenario)
        kwargs = dict(self.kwargs(scenario)) if self.kwargs else {}
        if self.is_operation:
            path = self.target.split(" ", 1)[1].format(**kwargs)
        else:
            path = reverse(self.target, kwargs=kwargs or None)
        return [f"{path}?{self.query}" if self.query else path]

    def request(self, client: Client, url: str, scenario: Scenario, persona: str) -> Any:
        send = getattr(client, self.method)
        if self.body is None:
            return send(url)
        body = self.body(scenario, persona)
        if self.is_operation:
            return send(url, body, content_type="application/json")
        return send(url, body)


def _persona_set(names: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(names)
    unknown = chosen - ALL
    if unknown:
        raise ValueError(f"unknown personas {sorted(unknown)}; known: {PERSONAS}")
    return chosen


def page(
    name: str,
    *,
    allow: Iterable[str] = ALL,
    ok: Expect = OK,
    deny: Expect = FORBIDDEN,
    anonymous: Expect | None = None,
    method: str = "get",
    **options: Any,
) -> Rule:
    """A page's rule; anonymous visitors are sent to log in unless ``allow`` has them."""
    allowed = _persona_set(allow)
    for persona in (*options.get("cells", {}), *options.get("bugs", {})):
        _persona_set([persona])
    if anonymous is None:
        anonymous = ok if "anonymous" in allowed else LOGIN
    return Rule(name, method, allowed, ok, deny, anonymous, **options)


def operation(
    target: str,
    *,
    allow: Iterable[str] = ALL,
    ok: Expect = OK,
    deny: Expect = FORBIDDEN,
    anonymous: Expect | None = None,
    **options: Any,
) -> Rule:
    """An API operation's rule (``"METHOD /api/v1/path/{param}"``); anonymous callers get 401
    unless ``allow`` has them."""
    method, _path = target.split(" ", 1)
    allowed = _persona_set(allow)
    for persona in (*options.get("cells", {}), *options.get("bugs", {})):
        _persona_set([persona])
    if anonymous is None:
        anonymous = ok if "anonymous" in allowed else UNAUTHORIZED
    return Rule(target, method.lower(), allowed, ok, deny, anonymous, **options)


def admin_urls(scenario: Scenario) -> list[str]:
    """The admin's index and the change list of every registered model."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


def matrix_params(rules: Iterable[Rule]) -> list[Any]:
    """``pytest.param``s of ``(rule, personas)``: one test per rule for its sound cells, and
    one strict xfail per known bug cell."""
    params = []
    for rule in rules:
        sound = tuple(persona for persona in PERSONAS if persona not in rule.bugs)
        params.append(pytest.param(rule, sound, id=rule.id))
        for persona, reason in rule.bugs.items():
            params.append(
                pytest.param(
                    rule,
                    (persona,),
                    id=f"{rule.id}-{persona}",
                    marks=pytest.mark.xfail(strict=True, reason=f"bug: {reason}"),
                )
            )
    return params


def check_rule(rule: Rule, personas: Personas, scenario: Scenario, names: Iterable[str]) -> None:
    """Request the rule's page or operation as each persona, each inside a rolled-back savepoint
    (a persona's POST does not change what the next one sees), and fail listing every cell
    that differs from the matrix."""
    failures = []
    for url in rule.resolve(scenario):
        for persona in names:
            expected = rule.expected(persona)
            try:
                with transaction.atomic():
                    response = rule.request(personas.client(persona), url, scenario, persona)
                    transaction.set_rollback(True)
            except Exception as error:  # reported as the cell's outcome, like a status
                failures.append(f"{url} {persona}: expected {expected}, raised {error!r}")
                continue
            if not expected.matches(response):
                got = f"{response.status_code} {response.get('Location', '')}".strip()
                failures.append(f"{url} {persona}: expected {expected}, got {got}")
    assert not failures, f"{rule.id}:\n  " + "\n  ".join(failures)


def matrix_rules() -> list[Rule]:
    """Every app's PERMISSIONS, from ``zhizao.<app>.tests.permission_matrix``."""
    rules: list[Rule] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhizao."):
            continue
        module_name = f"{config.name}.tests.permission_matrix"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        rules.extend(module.PERMISSIONS)
    return rules


def _named_patterns(
    patterns: Iterable[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _named_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, "/" + prefix + str(pattern.pattern)


def api_operations(client: Client) -> set[str]:
    """``"METHOD /path"`` of every operation in the served OpenAPI schema."""
    schema = client.get("/api/v1/openapi.json").json()
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def page_names(operations: Iterable[str]) -> set[str]:
    """Every named URL pattern but the API operations' own (covered by ``operations``) and the
    admin's (covered by the rule on ``admin:*``)."""
    api_paths = {target.split(" ", 1)[1] for target in operations}
    names = set()
    for name, route in _named_patterns(get_resolver().url_patterns):
        openapi_path = route.replace("<", "{").replace(">", "}")
        if name.startswith("admin:") or openapi_path in api_paths:
            continue
        names.add(name)
    return names


# --- Query counts ------------------------------------------------------------------------------


def assert_list_queries(
    client: Client, url: str, *, rows: int, max_queries: int, shows: Iterable[str] = ()
) -> Any:
    """GET a list page or API list that shows ``rows`` records (each of ``shows`` must appear
    in the response) and assert it runs at most ``max_queries`` queries. The bound must be
    below the row count, so one query per row (an N+1) cannot pass."""
    assert max_queries < rows, f"bound {max_queries} would let an N+1 over {rows} rows pass"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(response.json(), ensure_ascii=False)
    missing = [text for text in shows if text not in body]
    assert not missing, f"{url} does not show {missing[:5]}"
    statements = "\n".join(query["sql"][:200] for query in queries.captured_queries)
    if os.environ.get("ZHIZAO_SHOW_QUERY_COUNTS"):
        print(f"\n{url}: {len(queries)} queries for {rows} rows (bound {max_queries})")
    assert len(queries) <= max_queries, (
        f"{url}: {len(queries)} queries for {rows} rows (bound {max_queries}):\n{statements}"
    )
    return response


# --- Row locks -----------------------------------------------------------------------------------


def spy_row_locks(monkeypatch: pytest.MonkeyPatch) -> list[type]:
    """The models whose rows the code under test asks to lock (``select_for_update``), in order:
    a check that runs on SQLite too, where no ``FOR UPDATE`` reaches the database."""
    from django.db.models import QuerySet

    locked: list[type] = []
    original = QuerySet.select_for_update

    def spy(self: QuerySet[Any], *args: Any, **kwargs: Any) -> QuerySet[Any]:
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    return locked


# --- Hostile files (issue 20) ---------------------------------------------------------------------
# Property tests of every importer share these: a good table (header + rows) is turned into a
# file in one of the common encodings or as a workbook, with at most one defect; the importer
# must import a good file whole and refuse a bad one with a problem naming the row (and column),
# leaving the row count where it was.


@dataclass(frozen=True)
class ImporterUnderTest:
    """How to call one importer: ``run(handle, filename)``; ``count()`` of what it writes; the
    good table; which column holds a date and which (if any) a number."""

    run: Callable[[Any, str], Any]
    count: Callable[[], int]
    header: list[str]
    rows: list[list[str]]
    date_column: int
    number_column: int | None = None
    refusal: type[Exception] | tuple[type[Exception], ...] = Exception


# defect → whether a correct importer must refuse it (False: it may import the value correctly
# or refuse it cleanly, e.g. full-width digits).
DEFECTS: dict[str, bool] = {
    "none": False,
    "missing column": True,
    "extra column": True,
    "impossible date": True,
    "full-width digits": False,
    "thousands separator": False,
    "huge cell": True,
    "empty file": True,
    "formula": True,
    "zip bomb": True,
}
FILE_KINDS = ("utf-8", "utf-8-sig", "gb18030", "xlsx")


def hostile_file(importer: ImporterUnderTest, defect: str, kind: str) -> tuple[bytes, str]:
    """The importer's good table as ``kind`` with ``defect`` (see DEFECTS)."""
    import csv as csv_module
    import io
    import zipfile

    header = list(importer.header)
    rows = [list(row) for row in importer.rows]
    formula_at: tuple[int, int] | None = None
    if defect == "missing column":
        # The first column (required by every importer) is dropped from header and rows.
        header.pop(0)
        for row in rows:
            row.pop(0)
    elif defect == "extra column":
        header.append("颜色 colour")
        for row in rows:
            row.append("红")
    elif defect == "impossible date":
        rows[-1][importer.date_column] = "2021-02-30"
    elif defect == "full-width digits":
        rows[-1][importer.date_column] = rows[-1][importer.date_column].translate(
            {ord(d): 0xFF10 + int(d) for d in "0123456789"}
        )
    elif defect == "thousands separator" and importer.number_column is not None:
        rows[-1][importer.number_column] = "1,234.5"
    elif defect == "huge cell":
        rows[-1][0] = "长" * 200_000
    elif defect == "formula":
        formula_at = (len(rows), 0)
    if defect == "empty file":
        return b"", "empty.xlsx" if kind == "xlsx" else "empty.csv"
    if kind == "xlsx" and defect == "zip bomb":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/worksheets/sheet1.xml", " " * (64 * 1024 * 1024))
        return buffer.getvalue(), "bomb.xlsx"
    if kind == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for index, row in enumerate(rows):
            if formula_at is not None and index == formula_at[0] - 1:
                row = ['=HYPERLINK("http://example.org","x")', *row[1:]]
            sheet.append([cell[:32_767] for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), "file.xlsx"
    text = io.StringIO()
    writer = csv_module.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(kind), "file.csv"


def check_hostile_file(importer: ImporterUnderTest, defect: str, kind: str) -> None:
    """Import the hostile file inside a rolled-back savepoint (each example starts from the same
    records): a good one imports (the count grows), a bad one is refused with problems that say
    where (a row, or 0 for the file as a whole) and nothing is written."""
    import io

    content, filename = hostile_file(importer, defect, kind)
    must_refuse = DEFECTS[defect] and not (kind != "xlsx" and defect in ("formula", "zip bomb"))
    refused: Exception | None = None
    with transaction.atomic():
        before = importer.count()
        try:
            with transaction.atomic():
                importer.run(io.BytesIO(content), filename)
        except importer.refusal as error:
            refused = error
        after = importer.count()
        transaction.set_rollback(True)
    if refused is None:
        assert not must_refuse, f"{defect}/{kind}: imported a file it must refuse"
        assert after > before, f"{defect}/{kind}: imported nothing"
        return
    assert defect != "none", f"a good file was refused as {kind}: {refused}"
    assert after == before, f"{defect}/{kind}: refused but wrote rows"
    problems = getattr(refused, "problems", None)
    if problems is None:  # a ValidationError: its messages say where
        assert getattr(refused, "messages", None), f"{defect}/{kind}: refused without a reason"
        return
    assert problems, f"{defect}/{kind}: refused without a problem"
    for problem in problems:
        assert str(problem.message), f"{defect}/{kind}: a problem without a message"
        assert problem.row >= 0
        if problem.row > 0 and defect not in ("huge cell",):
            assert problem.column, f"{defect}/{kind}: row {problem.row} without its column"
