"""GB 5749-2022 / GB 18918-2002 1-A / GB 3838 Table 2 judgements and the period class of a
section (annual mean per item)."""

import math

import pytest

from zhizao.indicators import water, watersupply
from zhizao.indicators.errors import InvalidValueError, UnknownPollutantError


def test_a_tap_sample_passes_only_when_every_reported_item_meets_its_limit():
    ok = watersupply.judge({"turbidity": 1.0, "ph": 8.5, "e_coli": 0}, "gb5749")
    assert ok.passes
    assert ok.judged == 3  # equality meets
    bad = watersupply.judge({"turbidity": 1.01, "ph": 6.4, "e_coli": 0}, "gb5749")
    assert not bad.passes
    assert bad.failing == ["turbidity", "ph"]
    assert watersupply.judge({"turbidity": math.nan}, "gb5749").judged == 0


def test_free_chlorine_minimum_depends_on_treated_or_network_water():
    assert not watersupply.judge({"free_chlorine": 0.2}, "gb5749", kind="treated").passes
    assert watersupply.judge({"free_chlorine": 0.2}, "gb5749", kind="network").passes
    assert not watersupply.judge({"free_chlorine": 2.5}, "gb5749", kind="network").passes


def test_effluent_class_1a_with_the_winter_ammonia_limit():
    assert not watersupply.judge({"nh3_n": 6}, "gb18918_1a").passes
    assert watersupply.judge({"nh3_n": 6}, "gb18918_1a", cold=True).passes
    assert not watersupply.judge({"cod": 50.5}, "gb18918_1a").passes


def test_bad_input_is_refused():
    with pytest.raises(UnknownPollutantError):
        watersupply.judge({"colour": 1}, "gb5749")
    with pytest.raises(InvalidValueError):
        watersupply.judge({"cod": -1}, "gb18918_1a")
    with pytest.raises(UnknownPollutantError):
        watersupply.judge({"cod": 1}, "gb9999")


def test_pass_rates_per_sample_and_per_item():
    samples = [
        watersupply.judge({"turbidity": 0.5, "ph": 7}, "gb5749"),
        watersupply.judge({"turbidity": 2.0, "ph": 7}, "gb5749"),
    ]
    rates = watersupply.pass_rates(samples)
    assert (rates.samples_passed, rates.samples_total) == (1, 2)
    assert (rates.items_passed, rates.items_total) == (3, 4)
    assert rates.per_item == {"turbidity": (1, 2), "ph": (2, 2)}


def test_a_sections_period_class_is_that_of_the_item_means():
    # NH3-N 0.4 and 0.7: samples II and III, the mean 0.55 is class III.
    samples = [{"nh3_n": "0.4", "cod": "10"}, {"nh3_n": "0.7", "cod": "12"}]
    assert water.period_means(samples) == {"nh3_n": 0.55, "cod": 11.0}
    result = water.evaluate_period_samples(samples, target="II")
    assert result.water_class == water.WaterClass.III
    assert result.determined_by == ["nh3_n"]
    assert "nh3_n" in result.exceeding
    # TN in a river is reported apart, not counted.
    river = water.evaluate_period_samples([{"tn": "1.8", "cod": "10"}])
    assert river.water_class == water.WaterClass.I
