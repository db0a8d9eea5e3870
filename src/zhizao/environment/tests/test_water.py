"""Water samples: the class, exceeding items and pass judgements are the engine's, recorded by
the services with their permission checks and history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhizao.core import figures
from zhizao.core.models import Region
from zhizao.environment import services
from zhizao.environment.choices import SectionKind, TapKind
from zhizao.environment.indicators import INDICATORS  # noqa: F401 - registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(personas):
    return services.create_section(
        personas.officer,
        code="XJ-ZT",
        name="湘江朱亭断面",
        water_body="湘江",
        kind=SectionKind.RIVER,
        target_class=2,
        region=personas.tianyuan,
    )


def test_a_sample_is_classed_by_the_engine(personas, section):
    sample = services.record_water_sample(
        personas.district_officer,
        section,
        dt.date(2021, 5, 1),
        {"do": "7.5", "nh3_n": "0.8", "cod": "12", "tn": "1.9"},
    )
    assert sample.water_class == 3  # NH3-N 0.8 is class III; TN in a river does not count
    assert sample.determined_by == ["nh3_n"]
    assert sample.exceeding == {"nh3_n": pytest.approx(0.6)}  # (0.8 − 0.5) / 0.5 over II
    assert not sample.meets_target
    assert sample.history.get().history_user == personas.district_officer
    # The same day again replaces the sample.
    services.record_water_sample(personas.officer, section, dt.date(2021, 5, 1), {"nh3_n": "0.3"})
    sample.refresh_from_db()
    assert sample.water_class == 2


def test_bad_values_and_other_regions_are_refused(personas, section):
    with pytest.raises(ValidationError) as error:
        services.record_water_sample(personas.officer, section, dt.date(2021, 5, 2), {"cod": "x"})
    assert "cod" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_water_sample(personas.alice, section, dt.date(2021, 5, 2), {"cod": "10"})
    other = services.create_section(
        personas.officer,
        code="XJ-2",
        name="乙",
        water_body="湘江",
        kind=SectionKind.RIVER,
        target_class=2,
        region=personas.shifeng,
    )
    with pytest.raises(PermissionDenied):
        services.record_water_sample(
            personas.district_officer, other, dt.date(2021, 5, 2), {"cod": "10"}
        )


def test_the_section_class_figure_is_the_annual_mean_class(personas, section):
    for month, nh3 in ((1, "0.4"), (2, "0.45"), (3, "0.3")):
        services.record_water_sample(
            personas.officer, section, dt.date(2021, month, 5), {"nh3_n": nh3, "do": "7"}
        )
    city = Region.objects.get(code="430200")
    figure = figures.get("water.XJ-ZT.class").compute(city, 2021)
    assert figure.value == 2
    assert figure.records == 3
    meeting = figures.get("water.sections_meeting_target").compute(city, 2021)
    assert meeting.value == 100
    services.record_water_sample(
        personas.officer, section, dt.date(2021, 4, 5), {"nh3_n": "1.9", "do": "7"}
    )  # the mean NH3-N is now 0.7625: class III
    assert figures.get("water.XJ-ZT.class").compute(city, 2021).value == 3
    assert figures.get("water.sections_meeting_target").compute(city, 2021).value == 0


def test_tap_and_effluent_pass_rates(personas):
    city = personas.city
    day = dt.date(2021, 6, 1)
    services.record_tap_sample(
        personas.officer,
        site="一水厂",
        kind=TapKind.TREATED,
        region=city,
        sampled_on=day,
        values={"turbidity": "0.3", "free_chlorine": "0.6"},
    )
    failed = services.record_tap_sample(
        personas.officer,
        site="管网1",
        kind=TapKind.NETWORK,
        region=city,
        sampled_on=day,
        values={"turbidity": "1.5", "free_chlorine": "0.1"},
    )
    assert failed.failing == ["turbidity"]
    assert figures.get("water.tap_pass_rate").compute(city, 2021).value == 50
    assert figures.get("water.tap_treated_pass_rate").compute(city, 2021).value == 100
    assert figures.get("water.tap_network_pass_rate").compute(city, 2021).value == 0
    services.record_effluent_sample(
        personas.officer, plant="龙泉", region=city, sampled_on=day, values={"cod": "40"}
    )
    assert figures.get("water.effluent_pass_rate").compute(city, 2021).value == 100
    assert figures.get("water.effluent_pass_rate").compute(city, 2020).value is None
    with pytest.raises(ValidationError):
        services.record_tap_sample(
            personas.officer,
            site="x",
            kind="bottled",
            region=city,
            sampled_on=day,
            values={"turbidity": "1"},
        )
