"""Lint: every message in the zh-Hans catalogue is translated, none is fuzzy, placeholders match,
and the committed .mo holds the messages of the .po (so `make run` needs no gettext tools).

The .mo is compared by its messages (ids, contexts, strings and plural forms, with fuzzy entries
left out as the compiler leaves them out), never by its bytes: another Babel version stamps its own
name in the header, which changes the bytes and not one translation.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/zhizao/locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*\w+\s*\}\}")
Messages = dict[tuple[str | None, object], object]


def messages(catalog: Catalog) -> tuple[Messages, str]:
    """What a compiled catalogue answers: (context, id) → string, and its plural rule."""
    table: Messages = {}
    for message in catalog:
        if not message.id or "fuzzy" in message.flags:
            continue
        ids = message.id if isinstance(message.id, str) else tuple(message.id)
        strings = message.string if isinstance(message.string, str) else tuple(message.string)
        table[(message.context, ids)] = strings
    return table, catalog.plural_forms


def problems(po: Path, mo: Path) -> list[str]:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if not all(strings):
            found.append(f"untranslated: {ids[0]!r}")
        elif "fuzzy" in message.flags:
            found.append(f"fuzzy: {ids[0]!r}")
        elif sorted(PLACEHOLDER.findall(ids[0])) != sorted(PLACEHOLDER.findall(strings[0])):
            found.append(f"placeholders differ: {ids[0]!r}")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    expected, expected_plural = messages(read_mo(compiled))
    with mo.open("rb") as handle:
        actual, actual_plural = messages(read_mo(handle))
    stale = [key for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key)]
    if stale or expected_plural != actual_plural:
        first = f" (first: {sorted(map(repr, stale))[0]})" if stale else " (plural forms)"
        found.append(
            f"{mo.name} is stale: {len(stale)} message(s) differ from {po.name}{first}; "
            "run `python tools/fill_translations.py`"
        )
    return found


def main() -> int:
    found = problems(PO, PO.with_suffix(".mo"))
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
