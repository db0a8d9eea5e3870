"""A station's annual evaluation in the app equals ``zhizao air-eval`` on the same hours
exported as CSV (the national platform's hour labels, ``--hour-label end``)."""

import io
import json

import pytest
from django.core.management import call_command

from zhizao.environment import evaluation, generator
from zhizao.environment.demo import year_csv
from zhizao.environment.models import AirHour
from zhizao.environment.tests.conftest import make_station
from zhizao.indicators import cli as engine_cli
from zhizao.indicators.cli import evaluation_json

pytestmark = pytest.mark.django_db


def test_station_year_equals_air_eval_on_the_exported_hours(personas, tmp_path, capsys):
    station = make_station("E001A", personas.lusong)
    data = generator.generate_year(2021, stations=1)
    source = tmp_path / "hours.csv"
    year_csv(str(source), data, [station.code])
    from zhizao.core.actors import system_actor
    from zhizao.environment import services

    outcome = services.import_air_hours(system_actor(), str(source), file_name="hours.csv")
    assert outcome.ok, outcome.errors[:3]
    assert AirHour.objects.filter(station=station).count() == 365 * 24
    assert AirHour.objects.filter(station=station).exclude(flag="V").exists()  # gaps too

    app = evaluation.station_year(station, 2021)
    assert app is not None
    exported = tmp_path / "export.csv"
    exported.write_text(evaluation.station_year_csv(station, 2021), encoding="utf-8")
    capsys.readouterr()
    status = engine_cli.main(
        ["air-eval", str(exported), "--year", "2021", "--hour-label", "end", "--json"]
    )
    assert status == 0
    printed = json.loads(capsys.readouterr().out)
    mine = evaluation_json(app.evaluation, 2021, None, 1)
    mine["hour_label"] = "end"
    mine["timezone"] = station.time_zone
    assert printed == mine
    assert printed["good_days"] > 200
    assert printed["composite_index"] is not None
    # And the city of one station is the station.
    city = evaluation.city_year(personas.city, 2021)
    assert city is not None
    assert city.evaluation.good_days == app.evaluation.good_days
    out = io.StringIO()
    call_command(
        "figures",
        "--city",
        "430200",
        "--year",
        "2021",
        "--code",
        "air.good_days",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["air.good_days"]["value"] == printed["good_days"]
