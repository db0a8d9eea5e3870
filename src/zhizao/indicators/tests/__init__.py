"""Tests of the indicator engine: no Django, no database."""
