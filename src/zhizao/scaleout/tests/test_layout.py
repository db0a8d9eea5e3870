"""The scale-out package imports no Django; the generator is seeded and labels its data
synthetic; the layout's version is checked before a rollup reads it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from zhizao.scaleout import layout
from zhizao.scaleout.generate import generate
from zhizao.scaleout.rollup import rollup_local

PACKAGE = Path(__file__).resolve().parents[1]


def test_the_package_imports_nothing_from_django():
    imported = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert not {name for name in imported if name.split(".")[0] == "django"}
    assert not {
        name
        for name in imported
        if name.startswith("zhizao.") and name.split(".")[1] not in ("scaleout", "indicators")
    }


def test_the_generator_is_seeded_and_labelled_synthetic(tmp_path):
    one, two, other = tmp_path / "one", tmp_path / "two", tmp_path / "other"
    for root, seed in ((one, 3), (two, 3), (other, 4)):
        generate(root, cities=4, records=20_000, stations=5, seed=seed, year=2024)

    def digests(root):
        return {
            p.name: json.loads(p.read_text())["partitions"]
            for p in sorted((root / layout.MANIFESTS).iterdir())
        }

    def shas(found):
        return {
            (city, key): entry["sha256"]
            for city, parts in found.items()
            for key, entry in parts.items()
        }

    assert shas(digests(one)) == shas(digests(two))
    assert shas(digests(one)) != shas(digests(other))
    document = json.loads((one / "_layout.json").read_text())
    assert document["synthetic"] is True
    assert document["generator"]["seed"] == 3
    assert document["generator"]["records"] == 20_000
    result = rollup_local(one)
    assert result.synthetic
    totals = result.pass_rates.query(
        "dataset == 'rapidtest' and level == 'nation' and period == 'year' and category == '*'"
    )
    assert int(totals.total.iloc[0]) == 20_000


def test_a_layout_of_another_version_is_refused(tmp_path):
    generate(tmp_path, cities=1, records=10, stations=1, seed=1)
    document = json.loads((tmp_path / "_layout.json").read_text())
    document["version"] = layout.LAYOUT_VERSION + 1
    (tmp_path / "_layout.json").write_text(json.dumps(document))
    with pytest.raises(layout.LayoutError, match="version"):
        rollup_local(tmp_path)
    with pytest.raises(layout.LayoutError, match=r"_layout\.json"):
        rollup_local(tmp_path / "nothing")


def test_generate_and_rollup_from_the_command_line_need_no_django(tmp_path):
    """``zhizao scaleout generate`` and ``zhizao rollup`` (no ``--store``) run on a machine
    with no settings and no database, as on a Dask worker."""
    import os
    import subprocess
    import sys

    script = (
        "import sys; from zhizao.cli import main; "
        f"assert main(['scaleout', 'generate', {str(tmp_path / 'd')!r}, '--cities', '3', "
        "'--records', '3000', '--stations', '2', '--seed', '5']) == 0; "
        f"code = main(['rollup', {str(tmp_path / 'd')!r}, '--out', {str(tmp_path / 'o')!r}]); "
        "assert 'django' not in sys.modules, 'django was imported'; sys.exit(code)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # unreachable on purpose
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "local: " in done.stdout
    assert "(synthetic)" in done.stdout
    assert (tmp_path / "o" / "passrates.parquet").exists()
    assert json.loads((tmp_path / "o" / "_rollup.json").read_text())["synthetic"] is True
