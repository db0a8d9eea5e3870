"""Target trajectories, standing and the change rule (no Django)."""

import pytest

from zhizao.indicators.errors import InvalidValueError
from zhizao.indicators.targets import change_percent, needs_explanation, on_track, trajectory_value


def test_trajectory_is_the_straight_line_clamped_to_its_ends():
    assert trajectory_value(2020, 8000, 2024, 16000, 2021) == 10000
    assert trajectory_value(2020, 8000, 2024, 16000, 2019) == 8000
    assert trajectory_value(2020, 8000, 2024, 16000, 2030) == 16000
    assert trajectory_value(2021, 5, 2021, 0, 2021) == 0
    with pytest.raises(InvalidValueError):
        trajectory_value(2024, 1, 2020, 2, 2021)


def test_on_track_follows_the_direction():
    assert on_track(10, 9, "higher")
    assert not on_track(8, 9, "higher")
    assert on_track(0, 5, "lower")
    assert not on_track(6, 5, "lower")
    assert on_track(3, 3, "neither")
    assert not on_track(2, 3, "neither")


def test_change_rule():
    assert change_percent(8000, 15000) == pytest.approx(87.5)
    assert change_percent(0, 5) is None
    assert needs_explanation(8000, 15000, 50)
    assert not needs_explanation(8000, 9000, 50)
    assert needs_explanation(0, 1, 50)
    assert not needs_explanation(0, 0, 50)
    assert not needs_explanation(None, 1, 50)
