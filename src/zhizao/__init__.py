"""Zhizao (质造): the open platform that runs a city's quality programme (质量强市)."""

__version__ = "0.1.0"
