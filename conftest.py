"""Shared pytest fixtures: the personas live in zhizao.core.testing."""

pytest_plugins = ["zhizao.core.testing"]
