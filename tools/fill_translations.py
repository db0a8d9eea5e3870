"""Fill the zh-Hans catalogue from tools/zh_hans_*.json and compile it (needs only Babel).

Usage: python tools/fill_translations.py   (after `make messages` has extracted new strings)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/zhizao/locale/zh_Hans/LC_MESSAGES/django.po"


def main() -> int:
    mapping: dict[str, str] = {}
    for source in sorted((ROOT / "tools").glob("zh_hans_*.json")):
        mapping.update(json.loads(source.read_text(encoding="utf-8")))
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in mapping:
            message.string = mapping[key] if isinstance(message.id, str) else (mapping[key],)
            message.flags.discard("fuzzy")
        elif not message.string or "fuzzy" in message.flags:
            # makemessages' fuzzy guesses are often wrong ("edition" -> 职务): never keep one.
            message.string = "" if isinstance(message.id, str) else ("",)
            message.flags.discard("fuzzy")
            missing.append(key)
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    with PO.open("rb") as handle:  # compile what was written, exactly as the lint check does
        catalog = read_po(handle, locale="zh_Hans")
    with PO.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    for key in missing:
        print(f"untranslated: {key}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
