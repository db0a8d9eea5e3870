"""Benchmark of zhizao.indicators (``make bench`` → ``bench/results/indicators.json``).

Measures, in one run on this machine:

* IAQI of 10 million PM2.5 values (HJ 633-2026, the edition in force) against the PyPI peers
  python-aqi 0.6.1 (its China/MEP algorithm) and aqi-hub 0.3.3 on a sample of the same values,
  and against one NumPy pass over the array (``arr.sum()``, the memory-bandwidth floor);
* how many public vectors each peer gets wrong (and that the engine gets none wrong);
* the annual evaluation of one year of hourly data for 1,000 stations (6 pollutants).

Run: ``python bench/indicators_bench.py`` with ``src`` on sys.path or the package installed.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from zhizao.indicators import air, air_eval  # noqa: E402
from zhizao.indicators.editions import AirEdition  # noqa: E402

VECTORS = ROOT / ".." / "shared" / "reference" / "vectors" / "aqi_hj633.json"
RESULTS = ROOT / "bench" / "results" / "indicators.json"
N_VALUES = 10_000_000
PEER_SAMPLE = 20_000
STATIONS = 1_000


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def pm25_values(rng: np.random.Generator, size: int) -> np.ndarray:
    """Realistic PM2.5 daily values in µg/m³ with one decimal, up to ~600."""
    return np.round(np.minimum(rng.gamma(2.0, 30.0, size), 600.0), 1)


def python_aqi_iaqi() -> Callable[[float], int | None] | None:
    try:
        import aqi as python_aqi
    except ImportError:
        return None

    def compute(value: float) -> int | None:
        try:
            return int(
                python_aqi.to_iaqi(python_aqi.POLLUTANT_PM25, str(value), algo=python_aqi.ALGO_MEP)
            )
        except Exception:
            return None

    return compute


def aqi_hub_iaqi() -> Callable[[str, float], int | None] | None:
    try:
        from aqi_hub.aqi_cn.aqi import cal_iaqi_cn
    except ImportError:
        return None

    def compute(item: str, value: float) -> int | None:
        result = cal_iaqi_cn(item, value)
        return None if result is None else int(result)

    return compute


def vector_scores() -> dict[str, Any]:
    cases = json.loads(VECTORS.read_text(encoding="utf-8"))["iaqi_cases"]
    ours = {"2012": 0, "2026": 0}
    for case in cases:
        for edition, key in (("2012", "hj633_2012"), ("2026", "hj633_2026")):
            got = air.iaqi_value(
                case["pollutant_period"], case["concentration"], edition=edition, beyond_table=None
            )
            ours[edition] += got != case[key]["iaqi"]
    result: dict[str, Any] = {
        "vector_cases": len(cases),
        "zhizao_wrong_vectors_hj633_2012": ours["2012"],
        "zhizao_wrong_vectors_hj633_2026": ours["2026"],
    }
    peer = python_aqi_iaqi()
    if peer is not None:
        import aqi as python_aqi

        wrong = 0
        for case in cases:
            name = case["pollutant_period"].lower()
            name = {"pm25_24h": "pm25", "pm10_24h": "pm10"}.get(name, name)
            try:
                got = int(
                    python_aqi.to_iaqi(name, str(case["concentration"]), algo=python_aqi.ALGO_MEP)
                )
            except Exception:
                got = None
            wrong += got != case["hj633_2012"]["iaqi"]
        result["python_aqi_wrong_vectors_vs_hj633_2012"] = wrong
    hub = aqi_hub_iaqi()
    if hub is not None:
        wrong = sum(
            hub(case["pollutant_period"], case["concentration"]) != case["hj633_2026"]["iaqi"]
            for case in cases
        )
        result["aqi_hub_wrong_vectors_vs_hj633_2026"] = wrong
        in_table = [c for c in cases if c["hj633_2026"]["iaqi"] is not None]
        result["aqi_hub_wrong_vectors_in_table_vs_hj633_2026"] = sum(
            hub(c["pollutant_period"], c["concentration"]) != c["hj633_2026"]["iaqi"]
            for c in in_table
        )
    return result


def synthetic_year(rng: np.random.Generator, stations: int) -> dict[str, np.ndarray]:
    shape = (stations, 365, 24)
    data = {
        "so2": np.round(rng.uniform(2, 40, shape)),
        "no2": np.round(rng.uniform(5, 90, shape)),
        "pm10": np.round(rng.gamma(4.0, 18.0, shape)),
        "pm2_5": np.round(rng.gamma(3.0, 12.0, shape)),
        "co": np.round(rng.uniform(0.2, 2.5, shape), 1),
        "o3": np.round(rng.uniform(5, 230, shape)),
    }
    for values in data.values():
        values.reshape(-1)[rng.integers(0, values.size, values.size // 50)] = np.nan  # 2% gaps
    return data


def main() -> dict[str, Any]:
    rng = np.random.default_rng(20261125)
    values = pm25_values(rng, N_VALUES)
    edition = AirEdition.HJ_2026
    air.iaqi("pm2_5_24h", values[:100_000], edition=edition)  # warm up tables and threads

    iaqi_s = best_of(3, lambda: air.iaqi("pm2_5_24h", values, edition=edition))
    iaqi_rate = N_VALUES / iaqi_s
    iaqi_1t_s = best_of(3, lambda: air.iaqi("pm2_5_24h", values, edition=edition, threads=1))
    exact_2012_s = best_of(3, lambda: air.iaqi("pm2_5_24h", values, edition=AirEdition.HJ_2012))
    integers = np.round(values)
    lut_2012_s = best_of(3, lambda: air.iaqi("pm2_5_24h", integers, edition=AirEdition.HJ_2012))
    sum_s = best_of(7, values.sum)
    sum_rate = N_VALUES / sum_s

    sample = values[:PEER_SAMPLE]
    figures: dict[str, Any] = {}
    peer = python_aqi_iaqi()
    if peer is not None:
        python_aqi_s = best_of(1, lambda: [peer(float(v)) for v in sample])
        figures["python_aqi_values_per_s"] = PEER_SAMPLE / python_aqi_s
        figures["iaqi_speedup_vs_python_aqi"] = iaqi_rate / figures["python_aqi_values_per_s"]
    hub = aqi_hub_iaqi()
    if hub is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hub_s = best_of(1, lambda: [hub("PM25_24H", float(v)) for v in sample])
        figures["aqi_hub_values_per_s"] = PEER_SAMPLE / hub_s
        figures["iaqi_speedup_vs_aqi_hub"] = iaqi_rate / figures["aqi_hub_values_per_s"]

    hourly = synthetic_year(rng, STATIONS)
    air_eval.annual_evaluation({k: v[:5] for k, v in hourly.items()}, 2021)  # warm up
    eval_s = best_of(3, lambda: air_eval.annual_evaluation(hourly, 2021))

    result: dict[str, Any] = {
        "iaqi_values_per_s": iaqi_rate,
        "iaqi_speedup_vs_python_aqi": figures.get("iaqi_speedup_vs_python_aqi"),
        "iaqi_speedup_vs_aqi_hub": figures.get("iaqi_speedup_vs_aqi_hub"),
        "iaqi_slowdown_vs_numpy_pass": sum_rate / iaqi_rate,
        "air_eval_1000_station_year_s": eval_s,
        "iaqi_n_values": N_VALUES,
        "iaqi_edition": f"HJ 633-{edition.value}",
        "iaqi_seconds": iaqi_s,
        "iaqi_single_thread_values_per_s": N_VALUES / iaqi_1t_s,
        "iaqi_2012_exact_non_integer_values_per_s": N_VALUES / exact_2012_s,
        "iaqi_2012_integer_table_values_per_s": N_VALUES / lut_2012_s,
        "numpy_sum_values_per_s": sum_rate,
        "peer_sample_size": PEER_SAMPLE,
        **{k: v for k, v in figures.items() if not k.startswith("iaqi_speedup")},
        **vector_scores(),
        "air_eval_stations": STATIONS,
        "air_eval_hourly_values": int(sum(v.size for v in hourly.values())),
        "targets": {
            "iaqi_speedup_vs_python_aqi_min": 500,
            "iaqi_slowdown_vs_numpy_pass_max": 20,
            "air_eval_1000_station_year_s_max": 5,
        },
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "python_aqi": _version("python-aqi"),
            "aqi_hub": _version("aqi-hub"),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(_finite(result), indent=2, ensure_ascii=False) + "\n")
    return result


def _version(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


if __name__ == "__main__":
    summary = main()
    for key in (
        "iaqi_values_per_s",
        "iaqi_speedup_vs_python_aqi",
        "iaqi_speedup_vs_aqi_hub",
        "iaqi_slowdown_vs_numpy_pass",
        "air_eval_1000_station_year_s",
    ):
        print(f"{key}: {summary[key]}")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
