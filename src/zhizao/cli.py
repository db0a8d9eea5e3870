"""The ``zhizao`` console script.

Engine commands (``aqi``, ``air-eval``, ``water-class``) run the indicator engine directly and
need neither a database nor Django settings; nor do ``standards parse`` (zhizao.stdcodes),
``scaleout generate`` and ``rollup`` without ``--store`` (zhizao.scaleout).
Every other command is a Django management command.
"""

from __future__ import annotations

import os
import sys

ENGINE_COMMANDS = ("aqi", "air-eval", "water-class")
# Commands spelled with a hyphen on the command line, as their Django command modules.
ALIASES = {"evidence-pack": "evidence_pack"}

COMMANDS: tuple[tuple[str, str], ...] = (
    (
        "serve [--port 8000] [--host 127.0.0.1]",
        "serve the platform (gunicorn + whitenoise) and run the task worker beside it",
    ),
    ("db_worker [--batch]", "run the task worker alone (--batch: run what is queued, then exit)"),
    ("migrate", "create or update the database tables"),
    ("demo", "load the demo city (Zhuzhou) once; a second run loads nothing twice"),
    (
        "createuser USERNAME --role ROLE",
        "create a login with a role (add --token for an API token)",
    ),
    ("check [--deploy]", "run Django's system checks (--deploy: production security checks)"),
    ("aqi so2=… pm2_5=… [--json]", "IAQI, AQI, level and primary pollutant (HJ 633; no database)"),
    ("air-eval hourly.csv [--json]", "a city's annual air evaluation (HJ 663; no database)"),
    ("water-class cod=… [--lake] [--json]", "surface-water class by single factor (GB 3838)"),
    ("standards parse CODE … [--json]", "parse and normalise standard codes (no database)"),
    (
        "figures --city 株洲市 --year 2021 [--code PREFIX] [--json]",
        "every published figure of a city and year (--doc: docs/figures.md)",
    ),
    ("backup [-o FILE]", "the database and every uploaded file in one archive (docs/backup.md)"),
    (
        "restore FILE [--database-url URL] [--force]",
        "restore a backup, checked against its manifest",
    ),
    (
        "evidence-pack --city 株洲市 --year 2021 -o pack.zip",
        "the provincial assessment's evidence pack, one ZIP (docs/assessment.md)",
    ),
    ("audit verify", "check the security audit log's hash chain (docs/security.md)"),
    (
        "bootstrap-admins",
        "create the system, security and audit administrators of an empty install (三员分立)",
    ),
    (
        "plans_flag_overdue [--today YYYY-MM-DD]",
        "tell the bureau about overdue plan tasks and off-track targets (run daily)",
    ),
    (
        "export --parquet DIR [--since DATE]",
        "the city's published records as Parquet (docs/open-data-layout.md)",
    ),
    (
        "rollup DIR --engine local|dask [--out OUT] [--store]",
        "pass rates and air rankings of many cities' exports (docs/rollups.md)",
    ),
    (
        "scaleout generate DIR --cities 300 --records N --seed S",
        "a synthetic national dataset in the open-data layout (no database)",
    ),
    ("help --commands", "list every Django management command as well"),
)


def usage() -> str:
    width = max(len(name) for name, _text in COMMANDS)
    lines = [
        "usage: zhizao COMMAND [ARGS]",
        "",
        "Zhizao (质造): the platform for a city's quality programme.",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS]
    lines += ["", "Run 'zhizao COMMAND --help' for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in ("-h", "--help") or args == ["help"]:
        print(usage())
        return 0
    if args[0] in ENGINE_COMMANDS:
        from zhizao.indicators.cli import main as engine_main

        status: int = engine_main(args)
        return status
    if args[0] == "standards":
        from zhizao.stdcodes.cli import main as standards_main

        standards_status: int = standards_main(args)
        return standards_status
    args[0] = ALIASES.get(args[0], args[0])
    if args[0] == "scaleout" or (args[0] == "rollup" and "--store" not in args):
        from zhizao.scaleout.cli import main as scaleout_main

        scaleout_status: int = scaleout_main(args)
        return scaleout_status
    if args[:2] == ["help", "--commands"]:
        args = ["help"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhizao", *args])
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
