"""The indicator CLI: ``main(argv)`` in-process and ``python -m zhizao.indicators`` as a
subprocess — exit codes, JSON output, one-line bilingual errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zhizao.indicators import cli

SRC = Path(__file__).resolve().parents[3]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _no_constant(name: str) -> Any:
    raise AssertionError(f"{name} is not JSON")


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    """Run with --json and parse strictly: NaN, Infinity and -Infinity are not JSON."""
    status, out, err = run(capsys, *argv, "--json")
    assert status == 0, err
    return json.loads(out, parse_constant=_no_constant)


def test_aqi_json(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(
        capsys, "aqi", "so2=12", "no2=40", "pm10=120", "pm2_5=80", "co=1.1", "o3_8h=160",
        "--hourly", "--edition", "2012",
    )  # fmt: skip
    assert result["iaqi"] == {
        "so2": 4, "no2": 20, "pm10": 85, "pm2_5": 107, "co": 11, "o3_8h": 100
    }  # fmt: skip
    assert result["aqi"] == 107
    assert result["level"] == 3
    assert result["category_zh"] == "轻度污染"
    assert result["category_en"] == "Lightly polluted"
    assert result["primary"] == ["pm2_5"]
    assert result["edition"] == "HJ 633-2012"


def test_aqi_default_edition_is_the_one_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    old = run_json(capsys, "aqi", "pm2_5=65", "pm10=130", "--date", "2026-02-28")
    new = run_json(capsys, "aqi", "pm2_5=65", "pm10=130", "--date", "2026-03-01")
    assert (old["edition"], old["aqi"], old["level"]) == ("HJ 633-2012", 90, 2)
    assert (new["edition"], new["aqi"], new["level"]) == ("HJ 633-2026", 105, 3)
    today = run_json(capsys, "aqi", "pm2_5=65")
    assert today["edition"] == "HJ 633-2026"  # in force since 2026-03-01


def test_aqi_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "aqi", "pm2_5=30", "--edition", "2026")
    assert status == 0
    assert "AQI 43" in out
    assert "优" in out
    assert "primary -" in out


def test_aqi_csv_rows_and_dates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text(
        "date,pm2_5,pm10,so2\n2025-06-01,65,130,10\n2026-06-01,65,130,\n,20,,\n", encoding="utf-8"
    )
    rows = run_json(capsys, "aqi", "--input", str(path))
    assert [row["edition"] for row in rows] == ["HJ 633-2012", "HJ 633-2026", "HJ 633-2026"]
    assert [row["aqi"] for row in rows] == [90, 105, 29]
    assert rows[1]["iaqi"] == {"pm2_5": 105, "pm10": 104, "so2": None}
    assert rows[0]["exceeding"] == []
    fixed = run_json(capsys, "aqi", "--input", str(path), "--edition", "2012")
    assert [row["aqi"] for row in fixed] == [90, 90, 29]
    status, out, _ = run(capsys, "aqi", "--input", str(path))
    assert status == 0
    assert out.count("\n") == 3


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["aqi", "pm25=3"], "unknown pollutant 'pm25' (未知污染物 'pm25'); expected one of so2"),
        (["aqi", "pm2_5=-3"], "pm2_5=-3 is negative"),
        (["aqi", "pm2_5=abc"], "pm2_5='abc' is not a number"),
        (["aqi", "co=1100"], "co=1100 is implausible in mg/m³"),
        (["aqi", "pm2_5"], "expected KEY=VALUE"),
        (["aqi"], "no concentrations"),
        (["aqi", "pm2_5=3", "--edition", "2019"], "unknown edition '2019'"),
        (["aqi", "pm2_5=3", "--date", "2026-13-01"], "is not YYYY-MM-DD"),
        (["aqi", "--input", "/nonexistent/x.csv"], "cannot read"),
        (["frobnicate"], "invalid choice"),
        (["water-class", "cod=x"], "cod='x' is not a number"),
        (["water-class", "ph=15"], "out of range"),
        (["water-class", "zinc=1"], "unknown water item 'zinc'"),
        (["air-eval", "/nonexistent/hourly.csv"], "cannot read"),
    ],
)
def test_bad_input_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert fragment in err
    assert "Traceback" not in err


def test_errors_carry_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "aqi", "pm2_5=-1")
    assert "负值" in err


def test_water_class(capsys: pytest.CaptureFixture[str]) -> None:
    river = run_json(capsys, "water-class", "cod=18", "nh3_n=0.4", "tp=0.08")
    assert river["class"] == "III"
    assert river["items"] == {"cod": "III", "nh3_n": "II", "tp": "II"}
    assert river["exceeding"] == {}
    lake = run_json(capsys, "water-class", "tp=0.08", "--lake")
    assert lake["items"] == {"tp": "IV"}
    assert lake["exceeding"] == {"tp": 0.6}
    worst = run_json(capsys, "water-class", "do=1.5", "cod=10")
    assert worst["class"] == "V+"
    assert worst["class_zh"] == "劣V"
    split = run_json(capsys, "water-class", "tn=1.8", "cod=10", "--section-rule")
    assert (split["class"], split["separate"]) == ("I", {"tn": "V"})


def _write_hourly(path: Path, year: int, stations: int = 2) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    days = 365
    data = {
        "so2": np.round(rng.uniform(2, 30, (stations, days, 24))),
        "no2": np.round(rng.uniform(10, 70, (stations, days, 24))),
        "pm10": np.round(rng.gamma(4, 16, (stations, days, 24))),
        "pm2_5": np.round(rng.gamma(3, 12, (stations, days, 24))),
        "co": np.round(rng.uniform(0.2, 2.0, (stations, days, 24)), 1),
        "o3": np.round(rng.uniform(10, 150, (stations, days, 24))),
    }
    data["pm2_5"][0, 3, 5] = np.nan
    lines = ["station,time,so2,no2,pm10,pm2_5,co,o3"]
    start = np.datetime64(f"{year}-01-01T00", "h")
    for s in range(stations):
        for d in range(days):
            for h in range(24):
                stamp = str(start + d * 24 + h) + ":00"
                cells = []
                for key in ("so2", "no2", "pm10", "pm2_5", "co", "o3"):
                    value = data[key][s, d, h]
                    cells.append("" if np.isnan(value) else f"{value:g}")
                lines.append(f"S{s},{stamp}," + ",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_air_eval_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "hourly.csv"
    data = _write_hourly(path, 2021)
    result = run_json(capsys, "air-eval", str(path), "--year", "2021")
    for key in ("so2", "no2", "pm10", "pm2_5", "co_p95", "o3_8h_p90"):
        assert isinstance(result[key], float)
    assert result["valid_days"] == 365
    assert 0 <= result["good_days"] <= 365
    assert result["good_day_ratio"] == round(result["good_days"] / 365 * 100, 1)
    assert isinstance(result["composite_index"], float)
    assert result["stations"] == 2
    assert isinstance(result["notes"], list)
    from zhizao.indicators import air_eval

    engine = air_eval.annual_evaluation(data, 2021)
    assert result["composite_index"] == engine.composite.rounded()
    status, out, _ = run(capsys, "air-eval", str(path))
    assert status == 0
    assert "composite_index" in out


def test_air_eval_bad_layout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("station,when,so2\nA,2021-01-01T00:00,3\n", encoding="utf-8")
    status, _, err = run(capsys, "air-eval", str(path))
    assert status == 2
    assert "station,time" in err
    path.write_text("station,time,so2\nA,2021-01-01T00:30,3\n", encoding="utf-8")
    status, _, err = run(capsys, "air-eval", str(path))
    assert status == 2
    assert "hour start" in err
    path.write_text("station,time,so2\nA,2021-01-01T00:00,3\nA,2021-01-01T00:00,4\n")
    status, _, err = run(capsys, "air-eval", str(path))
    assert status == 2
    assert "duplicate" in err


def _module(*argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "zhizao.indicators", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_subprocess_aqi_json() -> None:
    done = _module("aqi", "pm2_5=80", "--edition", "2012", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["aqi"] == 107


def test_subprocess_error_exit_2_no_traceback() -> None:
    done = _module("aqi", "pm25=3")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "error: unknown pollutant 'pm25' (未知污染物 'pm25'); "
        "expected one of so2, no2, pm10, pm2_5, co, o3_1h, o3_8h"
    ]


def test_subprocess_does_not_import_django() -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    code = (
        "import sys; from zhizao.indicators import cli; cli.main(['aqi', 'pm2_5=3']); "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "aqi", "--help")
    assert status == 0
    assert "--hourly" in out


# --- expert review (issue 13): engine rules ------------------------------------------------------


def test_aqi_2026_daily_report_has_no_o3_1h(capsys: pytest.CaptureFixture[str]) -> None:
    # HJ 633-2026: six daily indicators, O3 only as the daily maximum 8 h mean.
    new = run_json(capsys, "aqi", "o3_1h=300", "o3_8h=100", "--edition", "2026")
    assert (new["aqi"], new["primary"]) == (50, [])
    assert "o3_1h" not in new["iaqi"]
    assert new["excluded"] == ["o3_1h"]
    assert any("o3_1h" in note for note in new["notes"])
    # HJ 633-2012: seven daily indicators, O3 daily max 1 h among them.
    old = run_json(capsys, "aqi", "o3_1h=300", "o3_8h=100", "--edition", "2012")
    assert (old["aqi"], old["primary"], old["excluded"]) == (150, ["o3_1h"], [])
    # HJ 633-2026 real-time report: 1 h means, no 8 h O3.
    hourly = run_json(capsys, "aqi", "o3_1h=100", "o3_8h=300", "--hourly", "--edition", "2026")
    assert (hourly["aqi"], hourly["excluded"]) == (32, ["o3_8h"])


def test_aqi_csv_applies_each_rows_edition_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "values.csv"
    path.write_text(
        "date,o3_1h,o3_8h\n2025-06-01,300,100\n2026-06-01,300,100\n2026-06-02,,100\n",
        encoding="utf-8",
    )
    rows = run_json(capsys, "aqi", "--input", str(path))
    assert [row["aqi"] for row in rows] == [150, 50, 50]
    assert [row["excluded"] for row in rows] == [[], ["o3_1h"], []]


def test_report_indicator_lists_are_the_ones_daily_aqi_uses() -> None:
    from zhizao.indicators import air, air_eval
    from zhizao.indicators.editions import AirEdition

    for edition in AirEdition:
        daily = air.report_indicators(edition, air.Report.DAILY)
        keys = air_eval.DAILY_REPORT_KEYS[edition]
        assert tuple(air_eval.DAILY_INDICATORS[key] for key in keys) == daily
    assert air.Indicator.O3_1H not in air.report_indicators("2026", "daily")
    assert len(air.report_indicators("2012", "daily")) == 7


def _hourly_csv(
    path: Path,
    start: str,
    days: int,
    values: dict[str, float],
    *,
    stations: int = 1,
    label: str = "start",
    suffix: str = "",
) -> None:
    """Constant hourly values, times written as hour starts or (national platform) hour ends."""
    keys = list(values)
    lines = ["station,time," + ",".join(keys)]
    first = np.datetime64(f"{start}T00", "h")
    for station in range(stations):
        for hour in range(days * 24):
            stamp = first + hour + (1 if label == "end" else 0)
            text = str(stamp).replace("T", " ") + ":00"
            if label == "end" and text.endswith(" 00:00"):
                previous = np.datetime64(text[:10], "D") - 1
                text = f"{previous} 24:00"
            cells = ",".join(f"{values[key]:g}" for key in keys)
            lines.append(f"S{station},{text}{suffix},{cells}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_air_eval_composite_index_null_with_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "five.csv"
    values = {"so2": 10, "no2": 30, "pm10": 60, "pm2_5": 35, "co": 1.2}
    _hourly_csv(path, "2021-01-01", 365, values)
    result = run_json(capsys, "air-eval", str(path))
    assert result["composite_index"] is None
    assert result["composite_index_unrounded"] is None
    assert result["composite_index_missing"] == ["o3"]
    assert "o3" in result["composite_index_reason"]
    assert result["composite_parts"]["pm2_5"] == 1.0
    status, out, _ = run(capsys, "air-eval", str(path))
    assert status == 0
    assert "composite_index - (not computed" in out


def test_water_class_tn_only_for_lakes(capsys: pytest.CaptureFixture[str]) -> None:
    river = run_json(capsys, "water-class", "tn=1.8", "cod=10")
    assert (river["class"], river["items"], river["separate"]) == ("I", {"cod": "I"}, {"tn": "V"})
    assert river["exceeding"] == {}
    assert any("lakes and reservoirs" in note for note in river["notes"])
    lake = run_json(capsys, "water-class", "tn=1.8", "cod=10", "--lake")
    assert (lake["class"], lake["items"]["tn"], lake["separate"]) == ("V", "V", {})


def test_water_class_json_never_prints_infinity(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "water-class", "do=0")
    assert result["class"] == "V+"
    assert result["exceeding"] == {"do": None}
    assert any("do" in note and "not defined" in note for note in result["notes"])
    status, out, _ = run(capsys, "water-class", "do=0")
    assert status == 0
    assert "×inf" not in out


def _varying_rows(label: str, offset_hours: int = 0, suffix: str = "") -> list[str]:
    """Three local days 2021-01-01 … 03 of hourly values that differ every hour, written with
    hour-start or hour-end labels, shifted to another UTC offset when ``suffix`` says so."""
    rows = ["station,time,so2,pm2_5"]
    first = np.datetime64("2021-01-01T00", "h")
    for hour in range(72):
        stamp = first + hour + (1 if label == "end" else 0) - offset_hours
        text = str(stamp).replace("T", " ") + ":00"
        if label == "end" and text.endswith(" 00:00") and not suffix:
            text = f"{np.datetime64(text[:10], 'D') - 1} 24:00"
        rows.append(f"A,{text}{suffix},{hour % 24 + 1},{3 * hour + 5}")
    return rows


def _arrays(path: Path, rows: list[str], **options: str) -> dict[str, np.ndarray]:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    arrays, year, stations = cli.read_hourly_csv(path, 2021, **options)
    assert (year, stations) == (2021, 1)
    return arrays


def test_time_zone_suffixes_are_converted_to_local_time(tmp_path: Path) -> None:
    local = _arrays(tmp_path / "local.csv", _varying_rows("start"))
    assert local["so2"][0, 0, :3].tolist() == [1, 2, 3]
    same = _arrays(tmp_path / "cst.csv", _varying_rows("start", 0, "+08:00"))
    utc = _arrays(tmp_path / "utc.csv", _varying_rows("start", 8, "Z"))  # starts 2020-12-31T16Z
    for key in ("so2", "pm2_5"):
        np.testing.assert_array_equal(same[key], local[key])
        np.testing.assert_array_equal(utc[key], local[key])
    # The station's zone can be given: times in UTC+8 seen from a UTC station move 8 h back.
    moved = _arrays(tmp_path / "cst2.csv", _varying_rows("start", 0, "+08:00"), timezone="UTC")
    assert moved["so2"][0, 0, 0] == 9  # local 08:00 (value 9) is 00:00 UTC
    assert moved["so2"][0, 2, 15] == 24  # local 23:00 on 3 January
    assert np.isnan(moved["so2"][0, 2, 16])


def test_hour_end_labels_give_the_same_day(tmp_path: Path) -> None:
    start = _arrays(tmp_path / "start.csv", _varying_rows("start"))
    end = _arrays(tmp_path / "end.csv", _varying_rows("end"), hour_label="end")  # 01:00 … 24:00
    midnight = _varying_rows("end")
    midnight = [row.replace("-01 24:00", "-02 00:00").replace("-02 24:00", "-03 00:00")
                .replace("-03 24:00", "-04 00:00") for row in midnight]  # fmt: skip
    next_day = _arrays(tmp_path / "next.csv", midnight, hour_label="end")
    for key in ("so2", "pm2_5"):
        np.testing.assert_array_equal(end[key], start[key])
        np.testing.assert_array_equal(next_day[key], start[key])


def test_air_eval_hour_label_and_time_zone_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    values = {"so2": 10, "no2": 30, "pm10": 60, "pm2_5": 35, "co": 1.2, "o3": 90}
    start = tmp_path / "start.csv"
    end = tmp_path / "end.csv"
    _hourly_csv(start, "2021-01-01", 365, values)
    _hourly_csv(end, "2021-01-01", 365, values, label="end")
    expected = run_json(capsys, "air-eval", str(start))
    assert run_json(capsys, "air-eval", str(end), "--year", "2021", "--hour-label", "end") == {
        **expected, "hour_label": "end"
    }  # fmt: skip
    status, _, err = run(capsys, "air-eval", str(end))  # 24:00 in a file read as hour starts
    assert status == 2
    assert "--hour-label end" in err
    status, _, err = run(capsys, "air-eval", str(start), "--timezone", "Mars/Olympus")
    assert status == 2
    assert "unknown time zone" in err


def test_air_eval_2031_limits_exceedances_and_attainment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "2031.csv"
    values = {"so2": 60, "no2": 60, "pm10": 110, "pm2_5": 55, "co": 1.2, "o3": 90}
    _hourly_csv(path, "2031-01-01", 365, values)
    result = run_json(capsys, "air-eval", str(path))
    assert result["limit_set"] == "GB3095-2026-final"
    assert result["exceedance_days"] == {
        "so2": 365, "no2": 365, "pm10": 365, "pm2_5": 365, "co": 0, "o3_8h": 0
    }  # fmt: skip
    assert (result["so2_p98"], result["no2_p98"], result["pm10_p95"], result["pm2_5_p95"]) == (
        60.0, 60.0, 110.0, 55.0
    )  # fmt: skip
    attainment = result["attainment"]
    assert {key: value["attains"] for key, value in attainment.items()} == {
        "so2": False, "no2": False, "pm10": False, "pm2_5": False, "co": True, "o3": True
    }  # fmt: skip
    assert attainment["pm2_5"]["checks"]["pm2_5_p95"] == {
        "value": 55.0, "limit": 50.0, "meets": False, "averaging": "24h"
    }  # fmt: skip
    status, out, _ = run(capsys, "air-eval", str(path))
    assert status == 0
    assert (
        "attainment (GB3095-2026-final): so2 no, no2 no, pm10 no, pm2_5 no, co yes, o3 yes" in out
    )
