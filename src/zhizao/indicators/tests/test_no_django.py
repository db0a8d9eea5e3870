"""The engine is Django-free: no module of the package imports django or a Zhizao app."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ALLOWED_ZHIZAO = ("zhizao.indicators",)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            names.extend(
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return names


def test_no_module_imports_django_or_apps() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    offenders = []
    for path in files:
        for name in _imports(path):
            root = name.split(".")[0]
            if root == "django" or (
                root == "zhizao" and not name.startswith(ALLOWED_ZHIZAO) and name != "zhizao"
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offenders == []
