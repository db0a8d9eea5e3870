"""Lint: every message in the zh-Hans catalogue is translated, none is fuzzy, placeholders match,
and the committed .mo is the compiled .po (so `make run` needs no gettext tools)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/zhizao/locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*\w+\s*\}\}")


def main() -> int:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
        elif "fuzzy" in message.flags:
            problems.append(f"fuzzy: {ids[0]!r}")
        elif sorted(PLACEHOLDER.findall(ids[0])) != sorted(PLACEHOLDER.findall(strings[0])):
            problems.append(f"placeholders differ: {ids[0]!r}")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    if PO.with_suffix(".mo").read_bytes() != compiled.getvalue():
        problems.append("django.mo is stale: run `python tools/fill_translations.py`")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
