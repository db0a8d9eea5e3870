"""``zhizao standards parse CODE … [--json]``: parse standard codes; no database, no Django.

Exit status 0 when every code is valid, 2 when one is not (or the arguments are wrong). The
JSON output is a list with one object per code, in input order (docs/standards.md); the text
output a table, and each refused code's reason in Chinese and English.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Final, NoReturn, TextIO

from zhizao.stdcodes.codes import ParseResult, parse

EXIT_OK: Final = 0
EXIT_BAD_INPUT: Final = 2
COLUMNS: Final = ("code", "body", "kind", "number", "part", "year", "level")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhizao standards", description="Standard codes (标准编号).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parse_cmd = commands.add_parser(
        "parse", help="parse and normalise standard codes (GB/T 19001-2016, ISO 9001:2015 …)"
    )
    parse_cmd.add_argument(
        "codes", nargs="+", metavar="CODE", help="one code per argument; quote codes with spaces"
    )
    parse_cmd.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``standards …`` with ``argv`` (starting after ``zhizao``); return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["standards"]:
        arguments = arguments[1:]
    try:
        options = _build_parser().parse_args(arguments)
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    except _UsageError as problem:
        print(f"error: {problem} (参数错误); run 'zhizao standards parse --help'", file=sys.stderr)
        return EXIT_BAD_INPUT
    results = [parse(code) for code in options.codes]
    if options.json:
        json.dump([result.as_dict() for result in results], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_table(results, sys.stdout)
    return EXIT_OK if all(result.ok for result in results) else EXIT_BAD_INPUT


def _print_table(results: Sequence[ParseResult], out: TextIO) -> None:
    header = ("input", *COLUMNS)
    rows: list[tuple[str, ...]] = [header]
    for result in results:
        values = result.as_dict()
        if result.error is not None:
            values["code"] = f"✗ {result.error.code.value}"
        rows.append(
            tuple(
                [result.input]
                + ["" if values[key] is None else str(values[key]) for key in COLUMNS]
            )
        )
    widths = [max(_width(row[index]) for row in rows) for index in range(len(header))]
    for row in rows:
        cells = [
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ]
        out.write("  ".join(cells).rstrip() + "\n")
    for result in results:
        if result.error is not None:
            out.write(
                f"{result.input!r}: {result.error.message_zh}\n"
                f"{' ' * len(repr(result.input))}  {result.error.message_en}\n"
            )


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
