"""The split modules keep their seams (issue 9): the importer never imports the services (the
services call the importer, not the other way round), and the old import paths still work."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_importer_does_not_import_the_services():
    files = sorted((PACKAGE / "importing").glob("*.py"))
    assert {f.name for f in files} >= {"readers.py", "checking.py", "writers.py", "__init__.py"}
    for path in files:
        assert "zhizao.rapidtest.services" not in imported_modules(path), path.name


def test_the_public_names_are_where_they_were():
    from zhizao.rapidtest import figures, importing, services

    assert services.ImportOutcome is importing.ImportOutcome
    for name in ("run", "template_headers", "ImportOutcome"):
        assert callable(getattr(importing, name)), name
    for name in (
        "dashboard_tables",
        "board",
        "room_scores",
        "integrity_checks",
        "detection_floor_flags",
        "early_warnings",
        "market_month_json",
    ):
        assert callable(getattr(figures, name)), name
    assert figures.board.__module__ == "zhizao.rapidtest.figures.board"
    assert figures.early_warnings.__module__ == "zhizao.rapidtest.figures.integrity"
