"""Fill the stations' daily values (StationAirDay) from the hours already stored, by the
engine (``zhizao.indicators.air_eval.station_daily_values``, no app code); imports keep them
up to date from here on. Reversing empties the table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db import migrations

from zhizao.indicators import air_eval

POLLUTANTS = ("so2", "no2", "pm10", "pm2_5", "co", "o3")


def fill(apps: Any, schema_editor: Any) -> None:
    hour_model = apps.get_model("environment", "AirHour")
    day_model = apps.get_model("environment", "StationAirDay")
    station_ids = hour_model.objects.order_by().values_list("station_id", flat=True).distinct()
    for station_id in list(station_ids):
        hours = hour_model.objects.filter(station_id=station_id).order_by()
        first = hours.order_by("day").values_list("day", flat=True).first()
        last = hours.order_by("-day").values_list("day", flat=True).first()
        span = (last - first).days + 1
        values = {key: np.full((1, span, 24), np.nan) for key in POLLUTANTS}
        valid_hours = np.zeros(span, dtype=np.int64)
        touched = np.zeros(span, dtype=bool)
        synthetic = False
        rows = hours.values_list("day", "hour", "flag", "is_synthetic", *POLLUTANTS)
        for day, hour, flag, is_synthetic, *numbers in rows.iterator(chunk_size=20_000):
            index = (day - first).days
            touched[index] = True
            synthetic = synthetic or is_synthetic
            if flag != "V":
                continue
            valid_hours[index] += 1
            for key, number in zip(POLLUTANTS, numbers, strict=True):
                if number is not None:
                    values[key][0, index, hour] = number
        daily = air_eval.station_daily_values(values)
        day_model.objects.bulk_create(
            (
                day_model(
                    station_id=station_id,
                    day=first + dt.timedelta(days=index),
                    valid_hours=int(valid_hours[index]),
                    is_synthetic=synthetic,
                    **{
                        key: None if np.isnan(array[0, index]) else float(array[0, index])
                        for key, array in daily.items()
                    },
                )
                for index in np.flatnonzero(touched).tolist()
            ),
            batch_size=2000,
        )


def empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("environment", "StationAirDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("environment", "0002_station_air_day")]

    operations = [migrations.RunPython(fill, empty)]
