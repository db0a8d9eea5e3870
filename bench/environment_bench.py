"""Environment benchmark -> bench/results/environment.json.

One year (2021) of hourly data for ``--stations`` stations (default 1,000: 8.76 million
station-hours) in the national platform's layout, on SQLite and on PostgreSQL, in one run:

- ``import_s_<vendor>``: ``environment.services.import_air_hours`` of the CSV into an empty
  table, end to end (read, column-wise checks, spool, COPY / executemany, the city's daily
  results recomputed by the engine), in a fresh process; ``import_peak_mb_<vendor>`` that
  process's peak resident memory (``import_peak_mb``: the larger);
- the baseline in the same run, the same rows in the table's own layout into the same (emptied)
  table: PostgreSQL ``COPY … FROM STDIN`` of a CSV file (``raw_copy_s_postgresql``), SQLite
  ``executemany`` of the rows as tuples prepared beforehand (``raw_executemany_s_sqlite``);
- ``import_ratio_postgresql`` = import / raw COPY (target ≤ 2), ``import_ratio_sqlite`` =
  import / raw executemany (target ≤ 1);
- ``city_year_s_<vendor>``: the annual evaluation of a demo-sized city (8 stations, one year)
  from the database (its stations' stored daily values, ``StationAirDay``, read column-wise;
  target < 1 s; ``city_year_registry_s_<vendor>`` the same through ``evaluation.city_year``,
  cold cache), and ``stations_1000_year_s_<vendor>``: every station's annual evaluation
  (``station_years``: all stations' daily values read in one query and evaluated at once by
  ``air_eval.evaluate_periods``; target < 10 s for 1,000).

Usage: python bench/environment_bench.py [--stations 1000] [--pg postgres://postgres@127.0.0.1:5432]
       [--pg-db environment_bench] [--skip-pg]
``--stations 100`` is a quick run (876,000 station-hours); the JSON says how many were used.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "environment.json"
PY = sys.executable
YEAR = 2021
CHUNK = 50  # stations generated at a time (the generator's arrays stay small)


def _django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhizao.settings")
    import django

    django.setup()


def _codes(n: int) -> list[str]:
    return [f"B{i:04d}A" for i in range(n)]


def worker_prepare(db_url: str, stations: int, csv_path: str, raw_path: str) -> None:
    """Migrate, create the stations (8 in 株洲市's districts, a demo-sized city; the rest spread
    over Hunan's other cities, about 70 each),
    and write the platform CSV and the table-layout CSV of the same rows."""
    _django(db_url)
    import datetime as dt

    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from django.core.management import call_command

    from zhizao.core.actors import system_actor
    from zhizao.core.demo import load_regions
    from zhizao.core.models import Region
    from zhizao.environment import generator
    from zhizao.environment.demo import year_csv
    from zhizao.environment.models import Station

    call_command("migrate", verbosity=0)
    load_regions()
    districts = list(Region.objects.filter(code__in=["430202", "430203", "430204", "430211"]))
    cities = list(Region.objects.filter(level="city").exclude(code="430200").order_by("code"))

    def region(i: int) -> Region:
        return districts[i % len(districts)] if i < 8 else cities[i % len(cities)]

    system = system_actor()
    Station.objects.bulk_create(
        Station(
            code=code,
            name=f"基准站{i}",
            level="national",
            region=region(i),
            latitude="27.8",
            longitude="113.1",
            active_from=dt.date(2012, 1, 1),
            is_synthetic=True,
        )
        for i, code in enumerate(_codes(stations))
    )
    del system
    pks = dict(Station.objects.values_list("code", "pk"))
    codes = _codes(stations)
    header_written = False
    with open(csv_path, "wb") as out, open(raw_path, "wb") as raw:
        for first in range(0, stations, CHUNK):
            chunk = codes[first : first + CHUNK]
            data = generator.generate_year(YEAR, len(chunk))
            with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
                part = handle.name
            year_csv(part, data, chunk)
            with open(part, "rb") as handle:
                if header_written:
                    handle.readline()
                out.write(handle.read())
            os.unlink(part)
            header_written = True
            n, days, hours = data.flags.shape
            ids = np.repeat(np.array([pks[c] for c in chunk]), days * 24)
            day = np.tile(np.repeat(np.arange(days), 24), n)
            dates = pa.array(day.astype(np.int32) + (dt.date(YEAR, 1, 1).toordinal() - 719163))
            table = {
                "station_id": pa.array(ids),
                "day": dates.cast(pa.date32()),
                "hour": pa.array(np.tile(np.arange(24), n * days)),
            }
            for key in ("so2", "no2", "pm10", "pm2_5", "co", "o3"):
                values = data.values[key].reshape(-1)
                table[key] = pa.array(values, from_pandas=True)
            table["flag"] = pa.array(data.flags.reshape(-1).astype(str))
            table["import_batch_id"] = pa.array(np.full(n * days * hours, 1))
            table["is_synthetic"] = pa.array(np.full(n * days * hours, True))
            pacsv.write_csv(
                pa.table(table), raw, write_options=pacsv.WriteOptions(include_header=False)
            )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_import(db_url: str, csv_path: str) -> dict[str, float]:
    _django(db_url)
    from django.db import connection

    from zhizao.core.actors import system_actor
    from zhizao.environment import services
    from zhizao.environment.models import AirHour, AirImport, CityAirDay, StationAirDay

    CityAirDay.objects.all().delete()
    StationAirDay.objects.all().delete()
    AirHour.objects.all().delete()
    AirImport.objects.all().delete()
    system = system_actor()
    start = time.perf_counter()
    outcome = services.import_air_hours(system, csv_path, file_name="bench.csv")
    elapsed = time.perf_counter() - start
    assert outcome.ok, outcome.errors[:5]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE environment_airhour")
    return {"import_s": elapsed, "rows": outcome.rows, "peak_mb": _peak_mb()}


def worker_raw(db_url: str, raw_path: str) -> dict[str, float]:
    """The same rows in the table's layout into the same table (emptied, restored after)."""
    _django(db_url)
    from django.db import connection, transaction

    from zhizao.environment.importing import INSERT_COLUMNS
    from zhizao.environment.models import AirImport

    batch_id = AirImport.objects.values_list("pk", flat=True).first()
    columns = ", ".join(INSERT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE keep AS SELECT * FROM environment_airhour")
        cursor.execute("DELETE FROM environment_airhour")
    if connection.vendor == "postgresql":
        payload = Path(raw_path).read_bytes().replace(b",1,true\n", f",{batch_id},true\n".encode())
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            sql = f"COPY environment_airhour ({columns}) FROM STDIN WITH (FORMAT csv)"
            with cursor.cursor.copy(sql) as copy:
                for offset in range(0, len(payload), 1 << 20):
                    copy.write(payload[offset : offset + (1 << 20)])
        elapsed = time.perf_counter() - start
    else:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        marks = ", ".join("?" * len(INSERT_COLUMNS))
        sql = f"INSERT INTO environment_airhour ({columns}) VALUES ({marks})"
        raw = connection.connection
        names = list(INSERT_COLUMNS)
        reader = pacsv.open_csv(
            raw_path,
            read_options=pacsv.ReadOptions(column_names=names, block_size=8 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types={"day": pa.string(), "flag": pa.string()}
            ),
        )
        elapsed = 0.0
        with transaction.atomic():
            for batch in reader:  # rows as tuples, prepared outside the timed part
                columns_py = [batch.column(i).to_pylist() for i in range(len(names))]
                columns_py[-2] = [batch_id] * batch.num_rows
                columns_py[-1] = [1] * batch.num_rows
                rows = list(zip(*columns_py, strict=True))
                start = time.perf_counter()
                raw.executemany(sql, rows)
                elapsed += time.perf_counter() - start
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM environment_airhour")
        cursor.execute("INSERT INTO environment_airhour SELECT * FROM keep")
    return {"raw_s": elapsed}


def worker_evaluate(db_url: str) -> dict[str, float]:
    _django(db_url)
    import datetime as dt

    from zhizao.core.models import Region
    from zhizao.environment import evaluation
    from zhizao.environment.models import Station
    from zhizao.indicators import air_eval

    # A demo-sized city: the first 8 stations, evaluated as a city (mean over stations), from
    # their stored daily values.
    ids = list(Station.objects.order_by("pk").values_list("pk", flat=True))
    evaluation.clear_cache()
    start = time.perf_counter()
    station_days, _hours = evaluation.read_station_days(ids[:8], dt.date(YEAR, 1, 1), 365)
    series = air_eval.city_series_from_station_days(station_days, dt.date(YEAR, 1, 1))
    air_eval.evaluate_period(series, period="year")
    city_s = time.perf_counter() - start
    evaluation.clear_cache()
    start = time.perf_counter()
    found = evaluation.station_years(ids, YEAR)
    stations_s = time.perf_counter() - start
    assert len(found) == len(ids)
    # The demo-sized city through the registry's path (stations looked up, hours counted).
    city = Region.objects.get(code="430200")
    evaluation.clear_cache()
    start = time.perf_counter()
    evaluated = evaluation.city_year(city, YEAR)
    registry_s = time.perf_counter() - start
    assert evaluated is not None
    return {"city_year_s": city_s, "stations_year_s": stations_s, "registry_city_s": registry_s}


def _run(*args: str) -> dict[str, float]:
    output = subprocess.run(
        [PY, __file__, "--worker", *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1]) if output.strip() else {}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=1000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-db", default="environment_bench")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--worker", nargs="*")
    options = parser.parse_args()
    if options.worker:
        name, *rest = options.worker
        result = {
            "prepare": lambda: worker_prepare(rest[0], int(rest[1]), rest[2], rest[3]),
            "import": lambda: worker_import(rest[0], rest[1]),
            "raw": lambda: worker_raw(rest[0], rest[1]),
            "evaluate": lambda: worker_evaluate(rest[0]),
        }[name]()
        print(json.dumps(result or {}))
        return
    results: dict[str, object] = {
        "stations": options.stations,
        "station_hours": options.stations * 8760,
        "year": YEAR,
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg()[0],
    }
    with tempfile.TemporaryDirectory() as work:
        csv_path, raw_path = f"{work}/platform.csv", f"{work}/raw.csv"
        targets = [("sqlite", f"sqlite:///{work}/bench.sqlite3")]
        if not options.skip_pg:
            subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres",
                            options.pg_db], check=True)  # fmt: skip
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", options.pg_db],
                           check=True)  # fmt: skip
            targets.append(("postgresql", f"{options.pg}/{options.pg_db}"))
        for vendor, url in targets:
            print(f"{vendor}: preparing", file=sys.stderr)
            _run("prepare", url, str(options.stations), csv_path, raw_path)
            results["file_mb"] = round(os.path.getsize(csv_path) / 1e6, 1)
            print(f"{vendor}: importing", file=sys.stderr)
            imported = _run("import", url, csv_path)
            print(f"{vendor}: raw baseline", file=sys.stderr)
            raw = _run("raw", url, raw_path)
            print(f"{vendor}: evaluating", file=sys.stderr)
            evaluated = _run("evaluate", url)
            base = "raw_copy_s" if vendor == "postgresql" else "raw_executemany_s"
            results[f"import_s_{vendor}"] = round(imported["import_s"], 2)
            results[f"import_peak_mb_{vendor}"] = round(imported["peak_mb"], 1)
            results[f"{base}_{vendor}"] = round(raw["raw_s"], 2)
            results[f"import_ratio_{vendor}"] = round(imported["import_s"] / raw["raw_s"], 2)
            results[f"city_year_s_{vendor}"] = round(evaluated["city_year_s"], 3)
            results[f"stations_{options.stations}_year_s_{vendor}"] = round(
                evaluated["stations_year_s"], 2
            )
            results[f"city_year_registry_s_{vendor}"] = round(evaluated["registry_city_s"], 3)
            os.unlink(csv_path)
            os.unlink(raw_path)
        if not options.skip_pg:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", options.pg_db],
                           check=True)  # fmt: skip
    peaks = [v for k, v in results.items() if k.startswith("import_peak_mb_")]
    results["import_peak_mb"] = max(peaks) if peaks else None  # type: ignore[type-var]
    results["load_average_after"] = os.getloadavg()[0]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
