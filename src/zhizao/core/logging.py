"""Logging filters.

A refused request (403) is the permission rules working, not an error: Django logs it on
``django.request`` with the exception's traceback, which buries real errors in the log. The
filter keeps the one-line warning and drops the traceback.
"""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Strip the traceback from ``django.request`` records of 403 responses."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
