"""The lint tools: the translation check compares messages, not the compiler's bytes."""

from __future__ import annotations

import importlib.util
import io
import shutil
from pathlib import Path

import pytest
from babel.messages import catalog as babel_catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/zhizao/locale/zh_Hans/LC_MESSAGES/django.po"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_translations = _load("check_translations")
check_lock = _load("check_lock")


@pytest.fixture
def catalogue(tmp_path: Path) -> tuple[Path, Path]:
    po = tmp_path / "django.po"
    shutil.copy(PO, po)
    return po, _compile(po)


def _compile(po: Path) -> Path:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    mo = po.with_suffix(".mo")
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    return mo


def test_committed_catalogue_passes():
    assert check_translations.problems(PO, PO.with_suffix(".mo")) == []


def test_mo_from_another_babel_version_passes(catalogue, monkeypatch):
    po, mo = catalogue
    before = mo.read_bytes()
    monkeypatch.setattr(babel_catalog, "VERSION", "9.99.0")
    _compile(po)
    assert mo.read_bytes() != before  # the version stamp is in the bytes ...
    assert b"Babel 9.99.0" in mo.read_bytes()
    assert check_translations.problems(po, mo) == []  # ... and not in the messages


def test_po_edited_without_recompiling_fails(catalogue):
    po, mo = catalogue
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    message = next(m for m in catalog if m.id and isinstance(m.id, str))
    message.string = message.string + "（改）"
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100)
    po.write_bytes(buffer.getvalue())
    found = check_translations.problems(po, mo)
    assert len(found) == 1
    assert "django.mo is stale: 1 message(s) differ" in found[0]
    assert repr(message.id) in found[0]


def test_untranslated_message_fails(catalogue):
    po, _mo = catalogue
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    catalog.add("A sentence nobody translated")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100)
    po.write_bytes(buffer.getvalue())
    mo = _compile(po)
    assert check_translations.problems(po, mo) == ["untranslated: 'A sentence nobody translated'"]


def test_lock_check_names_every_difference():
    want = {"django": "5.2.19", "numpy": "2.4.6", "ruff": "0.17.6"}
    have = {"django": "5.2.19", "numpy": "2.4.7", "six": "1.17.0"}
    assert check_lock.compare(want, have) == [
        "missing: ruff==0.17.6 (in uv.lock, not installed)",
        "not in uv.lock: six==1.17.0 (installed by hand?)",
        "version differs: numpy installed 2.4.7, uv.lock 2.4.6",
    ]
    assert check_lock.compare(want, dict(want)) == []


def test_this_environment_is_the_lock():
    assert check_lock.compare(check_lock.locked(), check_lock.installed()) == []
