"""Strict helpers that read settings from the environment.

A malformed value stops start-up with a message naming the variable and what it expected, in
both languages, instead of surfacing later as a confusing error.
"""

from __future__ import annotations

import os
from datetime import date


class ConfigError(RuntimeError):
    """A setting in the environment is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"{name} must be set (环境变量 {name} 未设置)")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(
        f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no "
        f"({name} 不是布尔值; 请使用 1/0、true/false、yes/no)"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not an integer ({name} 不是整数)") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name}={number} is below {minimum} ({name} 不能小于 {minimum})")
    return number


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number ({name} 不是数字)") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ConfigError(
            f"{name}={number} must lie between {minimum} and {maximum} "
            f"({name} 须在 {minimum} 与 {maximum} 之间)"
        )
    return number


def env_month_day(name: str, default: tuple[int, int]) -> tuple[int, int]:
    """A day of the year written ``MM-DD`` (29 February is refused: not every year has it)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        day = date.fromisoformat(f"2001-{value.strip()}")
    except ValueError:
        raise ConfigError(
            f"{name}={value!r} is not a day of the year; use MM-DD, e.g. 09-30 "
            f"({name} 不是日期, 请使用 MM-DD, 如 09-30)"
        ) from None
    return day.month, day.day


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigError(
            f"{name}={value!r} is not one of {', '.join(choices)} "
            f"({name} 须为以下之一: {', '.join(choices)})"
        )
    return value


def env_date(
    name: str, default: date, *, minimum: date | None = None, maximum: date | None = None
) -> date:
    """A calendar date written ``YYYY-MM-DD``."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(
            f"{name}={value!r} is not a date; use YYYY-MM-DD ({name} 不是日期, 请使用 YYYY-MM-DD)"
        ) from None
    if (minimum is not None and day < minimum) or (maximum is not None and day > maximum):
        raise ConfigError(
            f"{name}={day} must lie between {minimum} and {maximum} "
            f"({name} 须在 {minimum} 与 {maximum} 之间)"
        )
    return day
