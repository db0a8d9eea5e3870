"""Every CSV and XLSX export neutralises cells that a spreadsheet would run as a formula
(= + - @ tab CR; OWASP CSV injection): each module that writes one goes through
``core.exports.safe_row`` (found from the source, so a new export is checked as it lands), and
the security log's export quotes a hostile username (the rapid-test exports are tested in
rapidtest/tests/test_exports_safe.py)."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[2]  # src/zhizao
WRITERS = {"writer", "DictWriter", "Workbook"}


def _exporting_modules() -> list[Path]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in WRITERS:
                    found.append(path)
                    break
    return found


def test_every_module_that_writes_a_spreadsheet_neutralises_its_cells():
    modules = _exporting_modules()
    assert SRC / "rapidtest" / "views.py" in modules
    assert SRC / "security" / "views.py" in modules
    unsafe = [
        str(path.relative_to(SRC))
        for path in modules
        if "safe_row" not in path.read_text(encoding="utf-8")
        and "safe_cell" not in path.read_text(encoding="utf-8")
        # core.exports is the neutraliser; core.testing writes the importers' test files.
        and path not in (SRC / "core" / "exports.py", SRC / "core" / "testing.py")
    ]
    assert unsafe == []


@pytest.mark.django_db
def test_the_security_log_export_quotes_a_formula_typed_as_a_username(personas):
    hostile = '=HYPERLINK("http://evil.example","x")'
    Client().post("/accounts/login/", {"username": hostile, "password": "x"})
    Client().post("/accounts/login/", {"username": "@SUM(A1)", "password": "x"})
    export = personas.client("auditor").get("/security/events/export.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    subjects = {row[3] for row in rows[1:]}
    assert "'" + hostile in subjects
    assert "'@SUM(A1)" in subjects
    assert hostile not in subjects
