"""Every domain app has the same shape (docs/decisions/0004-service-contract.md, "One shape per
app"): the standard modules, one ``request_actor`` and one city lookup in core, message codes in
``choices.py``, admin pages that cannot change a record behind its service, and the registry
free of awards. Read from the source (the AST) and the admin registry, so that a new app or a
copied helper fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin

from zhizao.core.admin_base import ReadOnlyMixin, ServiceAdmin

SRC = Path(__file__).resolve().parents[2]  # src/zhizao
APPS_WITH_MODELS = sorted(
    config.path
    for config in apps.get_app_configs()
    if config.name.startswith("zhizao.") and config.models_module is not None
)
# Every app with records: its choices (and message codes), its services, its staff console.
RECORD_MODULES = ("models", "choices", "services", "admin")
# Every app with pages and an API, in addition.
PAGE_MODULES = ("filters", "forms", "permissions", "views", "urls", "api", "navigation")


def _app_dirs() -> list[Path]:
    return [Path(path) for path in APPS_WITH_MODELS]


def _modules(directory: Path) -> Iterator[tuple[Path, ast.Module]]:
    """The app's own Python modules: neither its tests nor its migrations."""
    for path in sorted(directory.rglob("*.py")):
        parts = path.relative_to(directory).parts
        if parts[0] in ("tests", "migrations"):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _source_modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_modules(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_the_apps_with_records_are_found():
    names = {Path(path).name for path in APPS_WITH_MODELS}
    assert {"core", "awards", "registry", "rapidtest", "standards"} <= names


# Modules an app still lacks, each a known gap to close (like the permission matrix's ``bugs``:
# the test fails once the module exists, so that the entry is removed). nqi's views read
# ``request.POST`` by hand and its lists have no filters yet.
KNOWN_GAPS = {
    "nqi": {"filters"},
    "enterprise": {"admin"},
    "plans": {"filters"},
}


@pytest.mark.parametrize("directory", _app_dirs(), ids=lambda path: path.name)
def test_every_app_has_the_standard_modules(directory: Path) -> None:
    expected = RECORD_MODULES + (PAGE_MODULES if (directory / "urls.py").exists() else ())
    missing = {name for name in expected if not (directory / f"{name}.py").exists()}
    gaps = KNOWN_GAPS.get(directory.name, set())
    assert missing == gaps, f"{directory.name} lacks {sorted(missing)} (known gaps {sorted(gaps)})"
    assert (directory / "tests").is_dir()


def test_no_app_defines_its_own_actor_helper():
    """The actor of a request comes from ``zhizao.core.actors.request_actor`` only."""
    copies = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path, tree in _source_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name in {"_actor", "actor_of", "_user_of"}
    ]
    assert copies == []


def test_no_app_defines_its_own_read_only_admin():
    """The admin bases are core's (``core/admin_base.py``)."""
    copies = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path, tree in _source_modules()
        if path != SRC / "core" / "admin_base.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and node.name in {"ReadOnlyAdmin", "ReadOnlyMixin", "ReadOnlyInline", "ServiceAdmin"}
    ]
    assert copies == []


def test_the_city_is_looked_up_in_one_place():
    """``Region.objects.city()`` is the one lookup of the platform's city: no module reads
    ``settings.ZHIZAO_CITY_CODE`` to find it, except core's lookup and list filter, the
    settings and the command-line defaults."""
    allowed = {
        "core/models.py",  # RegionQuerySet.city
        "core/filters.py",  # city_districts: the city's districts for the list filters
        "core/figures_api.py",  # the figures API's default region
        "core/management/commands/figures.py",  # the command's default region
        "settings/base.py",
    }
    readers = sorted(
        str(path.relative_to(SRC))
        for path, tree in _source_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "ZHIZAO_CITY_CODE"
    )
    assert set(readers) <= allowed, sorted(set(readers) - allowed)


def _notify_codes(tree: ast.Module) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "notify"
            and len(node.args) >= 2
        ):
            yield node.args[1]


def test_message_codes_are_named_in_each_apps_choices():
    """``notify(recipients, MSG_…, …)`` names a constant from the app's ``choices.py``, never a
    string literal, so that a code is written (and migrated) once. (A helper that forwards its
    ``code`` argument to ``notify`` is fine: its callers are checked the same way.)"""
    literal = []
    defined_elsewhere = []
    calls = 0
    for directory in _app_dirs():
        choices = directory / "choices.py"
        names = {
            target.id
            for node in ast.parse(choices.read_text(encoding="utf-8")).body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name) and target.id.startswith("MSG_")
        }
        for path, tree in _modules(directory):
            for code in _notify_codes(tree):
                calls += 1
                where = f"{path.relative_to(SRC)}:{code.lineno}"
                if isinstance(code, ast.Constant):
                    literal.append(where)
                elif (
                    isinstance(code, ast.Name) and code.id.startswith("MSG_")
                ) and code.id not in names:
                    defined_elsewhere.append(where)
            if path.name != "choices.py":
                for node in tree.body:
                    if isinstance(node, ast.Assign) and any(
                        isinstance(target, ast.Name) and target.id.startswith("MSG_")
                        for target in node.targets
                    ):
                        defined_elsewhere.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert calls >= 8  # the apps' notify calls were found
    assert literal == []
    assert defined_elsewhere == []


def test_the_registry_imports_nothing_from_awards():
    """The awards app feeds the registry (``registry.services.record_award_honour``); the
    registry neither imports awards nor points at its models."""
    registry = SRC / "registry"
    imports = [
        f"{path.relative_to(SRC)}: {name}"
        for path, tree in _modules(registry)
        for name in _imported_modules(tree)
        if name.startswith(("zhizao.awards", "awards"))
    ]
    assert imports == []
    relations = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("registry").get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is not None
        if field.related_model._meta.app_label == "awards"
    ]
    assert relations == []


def test_the_import_test_sees_an_import():
    """The AST walk above finds both import forms (so its empty answer means something)."""
    tree = ast.parse("import zhizao.awards.models\nfrom zhizao.awards import tallies\n")
    assert set(_imported_modules(tree)) >= {"zhizao.awards.models", "zhizao.awards.tallies"}


# Models whose records change through services, by app, and the ones whose admin may still edit
# them directly, each with the reason. Every other service-written model's admin is read-only
# (core.admin_base.ReadOnlyMixin) or saves through its services (core.admin_base.ServiceAdmin).
SERVICE_MODELS = {
    "core": {"organization", "person", "apitoken", "notification", "messagedelivery"},
    "awards": {
        "awardedition",
        "application",
        "assessorassignment",
        "conflictdeclaration",
        "objection",
        "awardresult",
        "validityreview",
    },
    "registry": {"honour"},
    "rapidtest": {"testrecord", "followupcase", "importbatch", "recordcorrection"},
    "environment": {
        "station",
        "airimport",
        "airhour",
        "airhourrevision",
        "stationairday",
        "cityairday",
        "watersection",
        "watersample",
        "tapwatersample",
        "effluentsample",
    },
}
DIRECT_EDITS = {
    # Django's own user admin (passwords, permissions); `zhizao createuser` and the demo loader
    # use services.create_user. Its history rows name the signed-in superuser.
    ("core", "user"): "Django's user admin",
    # Only the wording of a published notice may be corrected; the window is read-only.
    ("awards", "publicnotice"): "wording corrections",
}


def test_admin_pages_of_service_models_are_read_only_or_go_through_the_service():
    unguarded = []
    seen = set()
    for model, model_admin in admin.site._registry.items():
        key = (model._meta.app_label, str(model._meta.model_name))
        if key[1] not in SERVICE_MODELS.get(key[0], set()) or key in DIRECT_EDITS:
            continue
        seen.add(key)
        if not isinstance(model_admin, ReadOnlyMixin | ServiceAdmin):
            unguarded.append(".".join(key))
    assert unguarded == []
    expected = {(app, name) for app, names in SERVICE_MODELS.items() for name in names}
    assert seen == expected  # each listed model is registered (the list is not stale)
