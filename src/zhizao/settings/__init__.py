"""Zhizao settings, read from the environment (see .env.example and README's table)."""

from zhizao.settings.base import *  # noqa: F403
