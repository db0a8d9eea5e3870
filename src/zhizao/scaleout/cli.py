"""``zhizao rollup DIR --engine local|dask [--scheduler tcp://HOST:8786] [--out OUT]`` and
``zhizao scaleout generate DIR --cities 300 --records 70000000 [--stations N] --seed S``: no
database, no Django settings (``zhizao rollup … --store`` is the Django command that also stores
the result; docs/rollups.md)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from zhizao.scaleout.layout import LayoutError


def rollup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", help="the root of one or more cities' exports")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--scheduler", help="tcp://HOST:8786 (dask; default: a local cluster)")
    parser.add_argument("--out", help="write passrates.parquet and air.parquet here")


def generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory")
    parser.add_argument("--cities", type=int, default=300)
    parser.add_argument("--records", type=int, default=70_000_000, help="rapid tests")
    parser.add_argument("--stations", type=int, default=2000, help="air stations")
    parser.add_argument("--sampling", type=int, help="sampled batches (default records / 50)")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=0)


def summary(result: object, seconds: float) -> str:
    from zhizao.scaleout.rollup import Rollup

    assert isinstance(result, Rollup)
    return (
        f"{result.engine}: {result.partitions} partitions, {len(result.pass_rates)} pass-rate "
        f"rows, {len(result.air)} air rows in {seconds:.1f} s"
        + (" (synthetic)" if result.synthetic else "")
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["rollup"]:
        parser = argparse.ArgumentParser(prog="zhizao rollup")
        rollup_arguments(parser)
        args = parser.parse_args(argv[1:])
        from zhizao.scaleout.rollup import rollup

        started = time.perf_counter()
        try:
            result = rollup(args.directory, args.engine, args.scheduler)
        except LayoutError as error:
            print(f"zhizao rollup: {error}", file=sys.stderr)
            return 2
        if args.out:
            result.write(args.out)
        print(summary(result, time.perf_counter() - started))
        return 0
    parser = argparse.ArgumentParser(prog="zhizao scaleout")
    commands = parser.add_subparsers(dest="command", required=True)
    generate_arguments(commands.add_parser("generate", help="a synthetic national dataset"))
    args = parser.parse_args(argv[1:])
    from zhizao.scaleout.generate import generate

    started = time.perf_counter()
    rows = generate(
        Path(args.directory),
        cities=args.cities,
        records=args.records,
        stations=args.stations,
        sampling=args.sampling,
        seed=args.seed,
        year=args.year,
    )
    print(json.dumps({"rows": rows, "seconds": round(time.perf_counter() - started, 1)}))
    return 0
