"""Logging filters: log lines name what happened, never carry a traceback of a client's
bad request (its frames can hold what the client sent)."""

from __future__ import annotations

import logging


class NoTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
