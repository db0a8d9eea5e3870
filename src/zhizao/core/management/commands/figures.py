"""``zhizao figures --city 株洲市 --year 2021 [--code PREFIX] [--json]``: every registered
figure of a city and year (``--doc``: the registry as ``docs/figures.md``)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core import figures, frontpage


class Command(BaseCommand):
    help = "Print every registered figure of a city and year (a table, or JSON with --json)."
    requires_system_checks: list[str] = []  # a read-only report: start fast

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", help="name or GB/T 2260 code (default: the demo city)")
        parser.add_argument("--year", type=int, help="default: the front page's latest year")
        parser.add_argument("--code", default="", help="only codes starting with this prefix")
        parser.add_argument("--json", action="store_true", help="JSON instead of a table")
        parser.add_argument("--doc", action="store_true", help="print docs/figures.md")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["doc"]:
            self.stdout.write("\n".join(figures.iter_documentation()))
            return
        text = options["city"] or settings.ZHIZAO_CITY_CODE
        city = figures.find_region(text)
        if city is None:
            raise CommandError(
                f"unknown city {text!r}: give its name or GB/T 2260 code, e.g. 株洲市 or 430200 "
                f"(未知城市 {text}: 请给出名称或 GB/T 2260 区划代码)",
                returncode=2,
            )
        year = options["year"] or frontpage.front_page_year(city)
        found = figures.compute_all(city, year, options["code"])
        if not found:
            raise CommandError(
                f"no indicator code starts with {options['code']!r} (没有以此开头的指标代码)",
                returncode=2,
            )
        if options["json"]:
            body = {code: figure.as_json() for code, figure in found.items()}
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{city.name} {city.code} · {year}")
        rows = [("code", "value", "unit", "records", "synthetic", "reason")]
        for code, figure in found.items():
            value = "" if figure.value is None else str(figure.value)
            synthetic = "synthetic" if figure.synthetic else ""
            rows.append((code, value, figure.unit, str(figure.records), synthetic, figure.reason))
        widths = [max(len(row[index]) for row in rows) for index in range(5)]
        for row in rows:
            cells = [
                cell.rjust(w) if i in (1, 3) else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row[:5], widths, strict=True))
            ]
            self.stdout.write("  ".join([*cells, row[5]]).rstrip())
