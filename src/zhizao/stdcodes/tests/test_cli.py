"""``zhizao standards parse``: JSON and table output, exit status, and no Django."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhizao import cli as zhizao_cli
from zhizao.stdcodes import cli

PACKAGE = Path(__file__).resolve().parents[1]
SRC = Path(__file__).resolve().parents[3]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = zhizao_cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_per_code(capsys: pytest.CaptureFixture[str]) -> None:
    codes = ["GB/T19001-2016", "ＧＢ　５７４９－８５", "IEC 61508-1:2010"]
    status, out, _ = run(capsys, "standards", "parse", *codes, "--json")
    assert status == 0
    rows = json.loads(out)
    assert rows == [
        {
            "input": "GB/T19001-2016", "code": "GB/T 19001-2016", "body": "GB",
            "kind": "recommended", "number": "19001", "part": None, "year": 2016,
            "level": "national", "error": None,
        },
        {
            "input": "ＧＢ　５７４９－８５", "code": "GB 5749-1985", "body": "GB",
            "kind": "mandatory", "number": "5749", "part": None, "year": 1985,
            "level": "national", "error": None,
        },
        {
            "input": "IEC 61508-1:2010", "code": "IEC 61508-1:2010", "body": "IEC",
            "kind": "standard", "number": "61508", "part": "1", "year": 2010,
            "level": "international", "error": None,
        },
    ]  # fmt: skip


def test_an_invalid_code_exits_2_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "standards", "parse", "GB 3095-2012", "DB99/T 1-2020", "--json")
    assert status == 2
    good, bad = json.loads(out)
    assert good["error"] is None
    assert bad["code"] is None
    assert bad["level"] is None
    assert bad["error"]["code"] == "unknown_province"
    assert "GB/T 2260" in bad["error"]["zh"]
    assert "province" in bad["error"]["en"]


def test_table_with_errors_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "standards", "parse", "DB43/T 1234—2020", "XY 1-2000")
    assert status == 2
    lines = out.splitlines()
    assert lines[0].split() == ["input", "code", "body", "kind", "number", "part", "year", "level"]
    assert lines[1].split() == [
        "DB43/T", "1234—2020", "DB43/T", "1234-2020", "DB43", "recommended", "1234", "2020",
        "local",
    ]  # fmt: skip
    assert "✗ unknown_body" in lines[2]
    assert "未知的标准代号“XY”" in out
    assert "unknown body 'XY'" in out


def test_all_valid_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "standards", "parse", "ITU-T H.264")
    assert status == 0
    assert "recommendation" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "standards", "parse")
    assert status == 2
    assert "参数错误" in err
    status, _, err = run(capsys, "standards", "frobnicate", "GB 1-2000")
    assert status == 2
    assert "参数错误" in err
    assert cli.main(["standards", "parse", "--help"]) == 0


def test_listed_in_the_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "standards parse CODE" in out


def test_subprocess_needs_no_django_and_no_settings(tmp_path: Path) -> None:
    code = (
        "import sys; from zhizao.cli import main; status = main(['standards', 'parse', "
        "'GB 3095-2012', '--json']); "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules); "
        "raise SystemExit(status)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(SRC)
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # unreachable on purpose
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["code"] == "GB 3095-2012"


def test_no_module_imports_django_or_apps() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 6
    offenders = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] == "django" or (
                    name.startswith("zhizao.") and not name.startswith("zhizao.stdcodes")
                ):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
