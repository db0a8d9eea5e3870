"""Command line of the indicator engine: ``aqi``, ``air-eval``, ``water-class``.

Needs no database and no Django settings. ``main(argv)`` returns the exit status: 0 on success,
2 on bad input (one line on stderr, in English and Chinese, never a traceback).

    zhizao aqi so2=12 no2=40 pm10=120 pm2_5=80 co=1.1 o3_8h=160 [--hourly] [--edition 2026]
    zhizao aqi --input values.csv [--hourly] [--edition 2012|2026] [--date YYYY-MM-DD] [--json]
    zhizao air-eval hourly.csv [--year 2021] [--edition 2012|2026] [--hour-label start|end]
                    [--timezone Asia/Shanghai] [--json]
    zhizao water-class cod=18 nh3_n=0.4 tp=0.08 [--lake] [--target III] [--json]

The AQI counts only the indicators of the edition's report (:data:`air.REPORT_INDICATORS`):
daily by default, real-time with ``--hourly``. JSON output is strict: no NaN or Infinity.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import re
import sys
import zoneinfo
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NoReturn, TextIO

import numpy as np

from zhizao.indicators import air, air_eval, water
from zhizao.indicators.air import Indicator
from zhizao.indicators.editions import (
    CHINA_STANDARD_TIME,
    AirEdition,
    air_edition_on,
    parse_edition,
    today_in_china,
)
from zhizao.indicators.errors import (
    IndicatorError,
    InputFormatError,
    InvalidValueError,
    UnitError,
    UnknownPollutantError,
)
from zhizao.indicators.rates import PERCENT_DECIMALS, round_gbt8170

EXIT_OK: Final = 0
EXIT_INTERNAL: Final = 1
EXIT_BAD_INPUT: Final = 2

AQI_KEYS: Final = ("so2", "no2", "pm10", "pm2_5", "co", "o3_1h", "o3_8h")
"""Pollutant keys of the ``aqi`` command, in output order."""

HOURLY_HEADER: Final = ("station", "time", "so2", "no2", "pm10", "pm2_5", "co", "o3")

PLAUSIBLE_MAX: Final[Mapping[str, tuple[float, str]]] = {
    "so2": (10_000, "µg/m³"),
    "no2": (5_000, "µg/m³"),
    "pm10": (20_000, "µg/m³"),
    "pm2_5": (5_000, "µg/m³"),
    "co": (150, "mg/m³"),
    "o3": (5_000, "µg/m³"),
    "o3_1h": (5_000, "µg/m³"),
    "o3_8h": (5_000, "µg/m³"),
}
"""Above these values an input is taken for a unit mistake (e.g. CO given in µg/m³, or mg/m³
values ×1000). CO's bound is the top of its IAQI table (150 mg/m³)."""


def _indicator_for(key: str, hourly: bool) -> Indicator:
    mapping = {
        "so2": Indicator.SO2_1H if hourly else Indicator.SO2_24H,
        "no2": Indicator.NO2_1H if hourly else Indicator.NO2_24H,
        "co": Indicator.CO_1H if hourly else Indicator.CO_24H,
        "pm10": Indicator.PM10_24H,
        "pm2_5": Indicator.PM2_5_24H,
        "o3_1h": Indicator.O3_1H,
        "o3_8h": Indicator.O3_8H,
    }
    return mapping[key]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zhizao",
        description="Zhizao indicator engine: AQI, air evaluation and water class.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    aqi_cmd = commands.add_parser("aqi", help="IAQI and AQI (HJ 633) of concentrations")
    aqi_cmd.add_argument(
        "values", nargs="*", metavar="KEY=VALUE", help=f"keys: {', '.join(AQI_KEYS)}"
    )
    aqi_cmd.add_argument("--input", metavar="CSV", help="CSV with a header of keys and date")
    aqi_cmd.add_argument(
        "--hourly",
        action="store_true",
        help="real-time report: so2, no2, co are 1 h values (default: daily report, 24 h);"
        " only the indicators of the edition's report count (2026 daily: no o3_1h;"
        " 2026 real-time: no o3_8h)",
    )
    aqi_cmd.add_argument("--edition", help="2012 or 2026 (default: in force on --date/today)")
    aqi_cmd.add_argument("--date", help="YYYY-MM-DD: use the edition in force on this date")
    aqi_cmd.add_argument("--json", action="store_true", help="print JSON")

    eval_cmd = commands.add_parser("air-eval", help="annual evaluation of hourly station data")
    eval_cmd.add_argument(
        "path",
        metavar="HOURLY_CSV",
        help=f"header {','.join(HOURLY_HEADER)}; time ISO 8601, local unless Z/+hh:mm",
    )
    eval_cmd.add_argument("--year", type=int, help="calendar year to evaluate")
    eval_cmd.add_argument("--edition", help="2012 or 2026 (default: per date)")
    eval_cmd.add_argument(
        "--hour-label",
        choices=HOUR_LABELS,
        default="start",
        help="times name the hour's start (default) or its end, as the national platform"
        " does (01:00 is 00:00-01:00, 24:00 the last hour of a day)",
    )
    eval_cmd.add_argument(
        "--timezone",
        default=STATION_TIME_ZONE,
        help="the stations' local time zone; times with Z or +hh:mm are converted to it"
        f" (default {STATION_TIME_ZONE})",
    )
    eval_cmd.add_argument("--json", action="store_true", help="print JSON")

    water_cmd = commands.add_parser("water-class", help="GB 3838-2002 class of a sample")
    water_cmd.add_argument(
        "values", nargs="+", metavar="ITEM=VALUE", help=f"items: {', '.join(water.ITEM_KEYS)}"
    )
    water_cmd.add_argument(
        "--lake",
        action="store_true",
        help="lake/reservoir: TP lake column, TN counted (a river's TN is reported apart)",
    )
    water_cmd.add_argument("--target", default="III", help="class for exceeding items (III)")
    water_cmd.add_argument(
        "--section-rule",
        action="store_true",
        help="report TN and fecal coliform separately (环办〔2011〕22号)",
    )
    water_cmd.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (without the program name); return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        options = _build_parser().parse_args(arguments)
        if options.command == "aqi":
            return _run_aqi(options, sys.stdout)
        if options.command == "air-eval":
            return _run_air_eval(options, sys.stdout)
        return _run_water(options, sys.stdout)
    except SystemExit as stop:  # --help
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    except _UsageError as problem:
        return _fail(f"{problem} (参数错误); run 'zhizao --help'")
    except IndicatorError as problem:
        return _fail(str(problem))
    except OSError as problem:
        name = problem.filename or ""
        return _fail(f"cannot read {name!r}: {problem.strerror} (无法读取文件 {name!r})")
    except UnicodeDecodeError:
        return _fail("input is not UTF-8 text (输入文件不是 UTF-8 文本)")
    except Exception as problem:  # a bug: still one line, distinct status
        print(
            f"error: internal error: {type(problem).__name__}: {problem} (内部错误)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def dump_json(payload: Any) -> str:
    """Strict JSON of a CLI result: a float without a value (NaN, ±∞) is written as null,
    never as the non-JSON NaN/Infinity that ``json.dumps`` would print."""
    return json.dumps(_finite(payload), ensure_ascii=False, allow_nan=False)


def _fail(message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_BAD_INPUT


# --- values -----------------------------------------------------------------------------------


def _number(key: str, text: str, where: str = "") -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidValueError(
            f"{where}{key}={text!r} is not a number", f"{where}{key}={text!r} 不是数字"
        ) from None
    if math.isnan(value) or math.isinf(value):
        raise InvalidValueError(
            f"{where}{key}={text!r} is not a finite number", f"{where}{key}={text!r} 不是有限数值"
        )
    if value < 0:
        raise InvalidValueError(
            f"{where}{key}={text} is negative",
            f"{where}{key}={text} 为负值",
            "concentrations must be ≥ 0",
        )
    bound = PLAUSIBLE_MAX.get(key)
    if bound is not None and value > bound[0]:
        raise UnitError(
            f"{where}{key}={text} is implausible in {bound[1]}",
            f"{where}{key}={text} 超出 {bound[1]} 的合理范围",
            f"check the unit: {key} is in {bound[1]}",
        )
    return value


def _pairs(items: Sequence[str], allowed: Sequence[str], kind: str) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for item in items:
        if "=" not in item:
            raise InputFormatError(
                f"expected KEY=VALUE, got {item!r}", f"参数应为 KEY=VALUE, 实际为 {item!r}"
            )
        key, _, text = item.partition("=")
        key = key.strip().lower()
        if key not in allowed:
            raise UnknownPollutantError(
                f"unknown {kind} {key!r}",
                f"未知{'污染物' if kind == 'pollutant' else '项目'} {key!r}",
                f"expected one of {', '.join(allowed)}",
            )
        if key in seen:
            raise InputFormatError(f"{key} given twice", f"{key} 重复给出")
        seen.add(key)
        yield key, text.strip()


def _parse_date(text: str, where: str = "") -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputFormatError(
            f"{where}date {text!r} is not YYYY-MM-DD", f"{where}日期 {text!r} 不是 YYYY-MM-DD 格式"
        ) from None


# --- aqi --------------------------------------------------------------------------------------


def _run_aqi(options: argparse.Namespace, out: TextIO) -> int:
    fixed = parse_edition(options.edition) if options.edition else None
    default_day = _parse_date(options.date) if options.date else today_in_china()
    if options.input:
        if options.values:
            raise InputFormatError(
                "give either KEY=VALUE pairs or --input, not both",
                "KEY=VALUE 与 --input 只能二选一",
            )
        rows, editions, dates = _read_aqi_csv(Path(options.input), fixed, default_day)
    else:
        if not options.values:
            raise InputFormatError(
                "no concentrations: give KEY=VALUE pairs or --input",
                "未提供浓度: 请给出 KEY=VALUE 或 --input",
            )
        row: dict[str, float | None] = {
            key: _number(key, text) for key, text in _pairs(options.values, AQI_KEYS, "pollutant")
        }
        rows = [row]
        editions = [fixed or air_edition_on(default_day)]
        dates = [None]
    report = air.Report.REALTIME if options.hourly else air.Report.DAILY
    counted_rows: list[dict[str, float | None]] = []
    excluded_rows: list[list[str]] = []
    for row, edition in zip(rows, editions, strict=True):
        allowed = air.report_indicators(edition, report)
        counted_rows.append(
            {k: v for k, v in row.items() if _indicator_for(k, options.hourly) in allowed}
        )
        excluded_rows.append(
            [
                key
                for key, value in row.items()
                if value is not None and _indicator_for(key, options.hourly) not in allowed
            ]
        )
    indicator_rows: list[dict[Indicator, float | None]] = [
        {
            _indicator_for(key, options.hourly): value
            for key, value in row.items()
            if value is not None
        }
        for row in counted_rows
    ]
    reports = air.aqi_reports(indicator_rows, editions)
    results = [
        _aqi_json(row, aqi_report, options.hourly, day, excluded, report)
        for row, aqi_report, day, excluded in zip(
            counted_rows, reports, dates, excluded_rows, strict=True
        )
    ]
    if options.json:
        payload: Any = results if options.input else results[0]
        out.write(dump_json(payload) + "\n")
    else:
        for number, result in enumerate(results, start=1):
            out.write(_aqi_text(result, number if options.input else None) + "\n")
    return EXIT_OK


def _aqi_json(
    row: Mapping[str, float | None],
    report: air.AqiReport,
    hourly: bool,
    day: dt.date | None,
    excluded: Sequence[str] = (),
    kind: air.Report = air.Report.DAILY,
) -> dict[str, Any]:
    iaqi = {key: report.iaqi.get(_indicator_for(key, hourly)) for key in AQI_KEYS if key in row}
    back = {_indicator_for(key, hourly): key for key in row}
    result: dict[str, Any] = {
        "iaqi": iaqi,
        "aqi": report.aqi,
        "level": report.level,
        "category_zh": report.category_zh,
        "category_en": report.category_en,
        "primary": [back[indicator] for indicator in report.primary],
        "colour": report.colour_hex,
        "edition": f"HJ 633-{report.edition.value}",
        "report": kind.value,
        "excluded": list(excluded),
        "notes": [_excluded_note(key, report.edition, kind) for key in excluded],
    }
    if report.exceeding is not None:
        result["exceeding"] = [back[indicator] for indicator in report.exceeding]
    if day is not None:
        result["date"] = day.isoformat()
    return result


def _excluded_note(key: str, edition: AirEdition, kind: air.Report) -> str:
    name_en = "daily" if kind is air.Report.DAILY else "real-time"
    name_zh = "日报" if kind is air.Report.DAILY else "实时报"
    return (
        f"{key} is not an indicator of the HJ 633-{edition.value} {name_en} report and is not "
        f"counted (HJ 633-{edition.value} {name_zh}不含 {key}, 不参与 AQI 计算)"
    )


def _aqi_text(result: Mapping[str, Any], number: int | None) -> str:
    iaqi = ", ".join(
        f"{key} {'-' if value is None else value}" for key, value in result["iaqi"].items()
    )
    head = f"row {number}: " if number is not None else ""
    where = f"{result['date']}, " if "date" in result else ""
    notes = "".join(f"; note: {note}" for note in result.get("notes", ()))
    if result["aqi"] is None:
        return f"{head}{where}{result['edition']}: AQI - (no value); IAQI {iaqi}{notes}"
    primary = ", ".join(result["primary"]) or "-"
    text = (
        f"{head}{where}{result['edition']}: AQI {result['aqi']}, level {result['level']} "
        f"{result['category_zh']} / {result['category_en']}, primary {primary}; IAQI {iaqi}"
    )
    if result.get("exceeding"):
        text += f"; exceeding {', '.join(result['exceeding'])}"
    return text + notes


def _read_aqi_csv(
    path: Path, fixed: AirEdition | None, default_day: dt.date
) -> tuple[list[dict[str, float | None]], list[AirEdition], list[dt.date | None]]:
    rows: list[dict[str, float | None]] = []
    editions: list[AirEdition] = []
    dates: list[dt.date | None] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader, [])]
        if not header:
            raise InputFormatError(f"{path} is empty", f"{path} 为空文件")
        for name in header:
            if name != "date" and name not in AQI_KEYS:
                raise UnknownPollutantError(
                    f"unknown pollutant column {name!r}",
                    f"未知污染物列 {name!r}",
                    f"expected one of {', '.join(AQI_KEYS)} and optional date",
                )
        if len(set(header)) != len(header):
            raise InputFormatError("duplicate column in header", "表头有重复列")
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise InputFormatError(
                    f"line {line}: {len(cells)} cells for {len(header)} columns",
                    f"第 {line} 行: 单元格数与列数不符",
                )
            where = f"line {line}: "
            row: dict[str, float | None] = {}
            day: dt.date | None = None
            for name, cell in zip(header, cells, strict=True):
                text = cell.strip()
                if name == "date":
                    day = _parse_date(text, where) if text else None
                else:
                    row[name] = _number(name, text, where) if text else None
            rows.append(row)
            dates.append(day)
            editions.append(fixed or air_edition_on(day or default_day))
    if not rows:
        raise InputFormatError(f"{path} has no data rows", f"{path} 没有数据行")
    return rows, editions, dates


# --- air-eval ---------------------------------------------------------------------------------


def _run_air_eval(options: argparse.Namespace, out: TextIO) -> int:
    edition = parse_edition(options.edition) if options.edition else None
    hourly, year, stations = read_hourly_csv(
        Path(options.path), options.year, timezone=options.timezone, hour_label=options.hour_label
    )
    evaluation = air_eval.annual_evaluation(hourly, year, edition=edition)
    payload = evaluation_json(evaluation, year, edition, stations)
    payload["hour_label"] = options.hour_label
    payload["timezone"] = options.timezone
    if options.json:
        out.write(dump_json(payload) + "\n")
    else:
        out.write(_evaluation_text(payload))
    return EXIT_OK


def _clean(value: float) -> float | None:
    return None if math.isnan(value) else round_gbt8170(value, 6)


def evaluation_json(
    evaluation: air_eval.PeriodEvaluation,
    year: int,
    edition: AirEdition | None,
    stations: int,
) -> dict[str, Any]:
    """The ``air-eval --json`` object of an annual evaluation."""
    concentrations = {
        key: _clean(evaluation.concentrations.get(key, math.nan))
        for key in ("so2", "no2", "pm10", "pm2_5", "co_p95", "o3_8h_p90")
    }
    composite = evaluation.composite
    notes = list(evaluation.notes)
    if edition is None and len(evaluation.editions) > 1:
        notes.append(
            "daily AQI uses HJ 633-2012 before 2026-03-01 and HJ 633-2026 from then "
            "(2026-03-01 前按 HJ 633-2012, 之后按 HJ 633-2026 计算日 AQI)"
        )
    return {
        "year": year,
        "stations": stations,
        "edition": edition.value if edition else "per-date",
        "editions_used": evaluation.editions,
        "composite_scheme": evaluation.scheme.name,
        **concentrations,
        "composite_index": None if math.isnan(composite.total) else composite.rounded(),
        "composite_index_unrounded": _clean(composite.total),
        "composite_parts": {key: _clean(value) for key, value in composite.parts.items()},
        "composite_primary": composite.primary,
        "composite_index_missing": composite.missing,
        "composite_index_reason": composite.reason,
        "good_days": evaluation.good_days,
        "valid_days": evaluation.valid_days,
        "good_day_ratio": _round_or_none(evaluation.good_day_ratio_rounded(PERCENT_DECIMALS)),
        "polluted_days": evaluation.polluted_days,
        "exceedance_days": evaluation.exceedance_days,
        **{
            key: _clean(evaluation.percentiles.get(key, math.nan))
            for key in air_eval.PERCENTILE_STATISTICS
        },
        "limit_set": evaluation.limit_set.value if evaluation.limit_set else None,
        "attainment": {
            pollutant: {
                "attains": found.attains,
                "reason": found.reason,
                "checks": {
                    check.statistic: {
                        "value": _clean(check.value),
                        "limit": check.limit,
                        "meets": check.meets,
                        "averaging": check.averaging.value,
                    }
                    for check in found.checks
                },
            }
            for pollutant, found in evaluation.attainment.items()
        },
        "validity": {
            key: {
                "valid_days": check.valid_days,
                "required_days": check.required_days,
                "short_months": check.short_months,
                "period_days": check.period_days,
                "supplied_days": check.supplied_days,
                "meets": check.meets,
            }
            for key, check in evaluation.validity.items()
        },
        "notes": notes,
    }


def _round_or_none(value: float) -> float | None:
    return None if math.isnan(value) else value


def _evaluation_text(payload: Mapping[str, Any]) -> str:
    lines = [
        f"year {payload['year']}, {payload['stations']} stations, edition {payload['edition']}, "
        f"composite scheme {payload['composite_scheme']}"
    ]
    for key in ("so2", "no2", "pm10", "pm2_5", "co_p95", "o3_8h_p90"):
        lines.append(f"{key:<10} {payload[key]}")
    for key in air_eval.PERCENTILE_STATISTICS:
        lines.append(f"{key:<10} {payload[key]}")
    primary = ", ".join(payload["composite_primary"]) or "-"
    if payload["composite_index"] is None:
        missing = ", ".join(payload["composite_index_missing"]) or "-"
        lines.append(f"composite_index - (not computed: no value for {missing})")
    else:
        lines.append(f"composite_index {payload['composite_index']} (primary {primary})")
    lines.append(
        f"good_days {payload['good_days']} of valid_days {payload['valid_days']}: "
        f"good_day_ratio {payload['good_day_ratio']}%"
    )
    words = {True: "yes", False: "no", None: "-"}
    attainment = ", ".join(
        f"{key} {words[value['attains']]}" for key, value in payload["attainment"].items()
    )
    if attainment:
        lines.append(f"attainment ({payload['limit_set']}): {attainment}")
    lines.extend(
        f"attainment {key}: {value['reason']}"
        for key, value in payload["attainment"].items()
        if value["reason"]
    )
    lines.append(
        "exceedance_days "
        + ", ".join(f"{key} {count}" for key, count in payload["exceedance_days"].items())
    )
    lines.extend(f"note: {note}" for note in payload["notes"])
    return "\n".join(lines) + "\n"


STATION_TIME_ZONE: Final = "Asia/Shanghai"
"""Default local time zone of a station (China Standard Time, UTC+8, no daylight saving)."""

HOUR_LABELS: Final = ("start", "end")
"""How the time of an hourly row names its hour: by the hour's start (``2021-01-01T00:00`` is
00:00–01:00) or by its end, as the national monitoring platform does (``01:00`` is
00:00–01:00; a day runs 01:00 … 24:00, the last hour written ``24:00`` or as the next day's
``00:00``)."""

_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?"
)
_OFFSET = re.compile(r"(?:UTC)?([+-])(\d{2}):?(\d{2})?")


def time_zone(name: str) -> dt.tzinfo:
    """The zone named ``name``: an IANA name (``Asia/Shanghai``), ``UTC`` or an offset
    (``+08:00``, ``UTC+8``)."""
    text = name.strip()
    if text.upper() in ("UTC", "Z"):
        return dt.UTC
    offset = _OFFSET.fullmatch(text.upper())
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
        if minutes < 24 * 60:
            return dt.timezone(sign * dt.timedelta(minutes=minutes))
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if text == STATION_TIME_ZONE:  # no time-zone database on this system
            return CHINA_STANDARD_TIME
        raise InputFormatError(
            f"unknown time zone {name!r}",
            f"未知时区 {name!r}",
            "give an IANA name such as Asia/Shanghai, UTC or an offset such as +08:00",
        ) from None


def local_hour(
    text: str, zone: dt.tzinfo, hour_label: str = "start", where: str = ""
) -> tuple[dt.date, int]:
    """(local date, hour 0–23 it starts at) of an ISO 8601 time naming one hour.

    A time without an offset is the station's local time; one with ``Z`` or ``±hh:mm`` is
    converted to ``zone``. With ``hour_label="end"`` the time names the hour's end (``24:00``
    accepted).
    """
    found = _TIME.fullmatch(text.strip())
    end = hour_label == "end"
    label = "end" if end else "start"
    problem = (
        f"{where}time {text!r} is not an ISO 8601 whole hour (YYYY-MM-DDTHH:00, optional Z or"
        f" ±hh:mm) naming the hour {label}",
        f"{where}时间 {text!r} 不是 ISO 8601 整点时间 (按小时{'结束' if end else '开始'}时刻标注)",
    )
    if found is None:
        raise InputFormatError(*problem)
    day_text, hour_text, minute, second, suffix = found.groups()
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        raise InputFormatError(*problem) from None
    hour = int(hour_text)
    if int(minute) or int(second or 0) or hour > 24:
        raise InputFormatError(*problem)
    if hour == 24 and not end:
        raise InputFormatError(
            f"{where}time {text!r}: 24:00 ends a day, but times are read as hour starts",
            f"{where}时间 {text!r}: 24:00 为一天的结束时刻, 但当前按小时开始时刻读取",
            "use --hour-label end for the national platform's layout",
        )
    stamp = dt.datetime(day.year, day.month, day.day) + dt.timedelta(hours=hour)
    if suffix:
        offset = dt.UTC if suffix == "Z" else time_zone(suffix)
        stamp = stamp.replace(tzinfo=offset).astimezone(zone).replace(tzinfo=None)
    if end:
        stamp -= dt.timedelta(hours=1)
    return stamp.date(), stamp.hour


def read_hourly_csv(
    path: Path,
    year: int | None = None,
    *,
    timezone: str | dt.tzinfo = STATION_TIME_ZONE,
    hour_label: str = "start",
) -> tuple[dict[str, np.ndarray[Any, np.dtype[np.float64]]], int, int]:
    """Read the documented hourly layout into (stations, days, 24) arrays for one year.

    Header ``station,time,so2,no2,pm10,pm2_5,co,o3`` (pollutant columns may be a subset, in
    any order); µg/m³, CO mg/m³; empty = missing. Time is ISO 8601 naming the hour by its
    start (``hour_label="start"``) or by its end (``"end"``, the national platform's layout,
    ``24:00`` accepted); without an offset it is the station's local time, with ``Z`` or
    ``±hh:mm`` it is converted to ``timezone`` (Asia/Shanghai by default). The year of a row is
    that of its local hour start. Rows of other years are skipped when ``year`` is given;
    otherwise all rows must share one year. Returns (arrays by pollutant, year, stations).
    """
    if hour_label not in HOUR_LABELS:
        raise InputFormatError(
            f"hour label {hour_label!r} is not start or end",
            f"小时标注方式 {hour_label!r} 应为 start 或 end",
        )
    zone = time_zone(timezone) if isinstance(timezone, str) else timezone
    station_index: dict[str, int] = {}
    cache: dict[str, tuple[dt.date, int]] = {}
    columns: list[str] = []
    station_of = array("l")
    day_of = array("l")
    hour_of = array("l")
    values: dict[str, array[float]] = {}
    chosen = year
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader, [])]
        if header[:2] != ["station", "time"]:
            raise InputFormatError(
                f"header must start with station,time (got {','.join(header[:2])!r})",
                "表头必须以 station,time 开头",
                f"documented header: {','.join(HOURLY_HEADER)}",
            )
        columns = header[2:]
        for name in columns:
            if name not in HOURLY_HEADER[2:]:
                raise UnknownPollutantError(
                    f"unknown pollutant column {name!r}",
                    f"未知污染物列 {name!r}",
                    f"expected one of {', '.join(HOURLY_HEADER[2:])}",
                )
        if not columns or len(set(columns)) != len(columns):
            raise InputFormatError("no or duplicate pollutant columns", "污染物列缺失或重复")
        values = {name: array("d") for name in columns}
        width = len(header)
        for line, cells in enumerate(reader, start=2):
            if not cells:
                continue
            where = f"line {line}: "
            if len(cells) != width:
                raise InputFormatError(
                    f"{where}{len(cells)} cells for {width} columns",
                    f"第 {line} 行: 单元格数与列数不符",
                )
            found = cache.get(cells[1])
            if found is None:
                found = local_hour(cells[1], zone, hour_label, where)
                cache[cells[1]] = found
            day, hour = found
            if chosen is None:
                chosen = day.year
            elif day.year != chosen:
                if year is not None:
                    continue
                raise InputFormatError(
                    f"{where}data span several years ({chosen}, {day.year})",
                    f"第 {line} 行: 数据跨越多个年份",
                    "choose one with --year",
                )
            station = cells[0].strip()
            if station not in station_index:
                station_index[station] = len(station_index)
            station_of.append(station_index[station])
            day_of.append(day.timetuple().tm_yday - 1)
            hour_of.append(hour)
            for name, cell in zip(columns, cells[2:], strict=True):
                text = cell.strip()
                values[name].append(_number(name, text, where) if text else math.nan)
    if chosen is None or not station_index:
        raise InputFormatError(
            f"{path} has no data rows for the year", f"{path} 没有该年份的数据行"
        )
    days = 366 if dt.date(chosen, 12, 31).timetuple().tm_yday == 366 else 365
    flat_index = (
        np.frombuffer(station_of, dtype=np.int_).astype(np.int64) * days * 24
        + np.frombuffer(day_of, dtype=np.int_).astype(np.int64) * 24
        + np.frombuffer(hour_of, dtype=np.int_).astype(np.int64)
    )
    if np.unique(flat_index).size != flat_index.size:
        raise InputFormatError(
            "duplicate rows for the same station and hour", "同一点位同一小时存在重复行"
        )
    shape = (len(station_index), days, 24)
    arrays: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    for name in columns:
        grid = np.full(shape[0] * days * 24, np.nan)
        grid[flat_index] = np.frombuffer(values[name], dtype=np.float64)
        arrays[name] = grid.reshape(shape)
    return arrays, chosen, len(station_index)


# --- water-class ------------------------------------------------------------------------------


def _run_water(options: argparse.Namespace, out: TextIO) -> int:
    readings: dict[str, str] = {}
    for key, text in _pairs(options.values, water.ITEM_KEYS, "water item"):
        _number_for_water(key, text)
        readings[key] = text
    evaluation = water.evaluate_sample(
        readings,
        lake=options.lake,
        target=options.target,
        report_separately=water.SEPARATELY_REPORTED if options.section_rule else (),
    )
    payload = water_json(evaluation)
    if options.json:
        out.write(dump_json(payload) + "\n")
    else:
        items = ", ".join(f"{key} {label}" for key, label in payload["items"].items())
        exceeding = ", ".join(
            f"{key} ×{multiple}" if multiple is not None else key
            for key, multiple in payload["exceeding"].items()
        )
        separate = ", ".join(f"{key} {label}" for key, label in payload["separate"].items())
        text = (
            f"class {payload['class'] or '-'} ({payload['quality_zh'] or '-'}); items {items}; "
            f"exceeding class {payload['target']}: {exceeding or 'none'}"
        )
        if separate:
            text += f"; reported separately: {separate}"
        out.write(text + "".join(f"; note: {note}" for note in payload["notes"]) + "\n")
    return EXIT_OK


def _number_for_water(key: str, text: str) -> None:
    try:
        value = float(text)
    except ValueError:
        raise InvalidValueError(
            f"{key}={text!r} is not a number", f"{key}={text!r} 不是数字"
        ) from None
    if not math.isfinite(value):
        raise InvalidValueError(f"{key}={text!r} is not a finite number", f"{key}={text!r} 无效")


def water_json(evaluation: water.WaterEvaluation) -> dict[str, Any]:
    """The ``water-class --json`` object."""
    found = evaluation.water_class
    notes = list(evaluation.notes)
    for key, multiple in evaluation.exceeding.items():
        if multiple is not None and not math.isfinite(multiple):
            notes.append(
                f"{key}: the exceedance multiple is not defined at {key}=0 (infinite)"
                f" ({key} 为 0 时超标倍数无定义)"
            )
    return {
        "class": found.label if found else None,
        "class_zh": found.label_zh if found else None,
        "quality_zh": evaluation.qualitative_zh,
        "items": {key: value.label for key, value in evaluation.items.items()},
        "determined_by": evaluation.determined_by,
        "target": evaluation.target.label,
        "exceeding": {
            key: None
            if multiple is None or not math.isfinite(multiple)
            else round_gbt8170(multiple, 2)
            for key, multiple in evaluation.exceeding.items()
        },
        "separate": {key: value.label for key, value in evaluation.separate.items()},
        "notes": notes,
    }
