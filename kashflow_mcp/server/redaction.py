"""Our own secrets - the KashFlow password and the HTTP bearer token - are never shown.

We never write them anywhere, but KashFlow can hand them back: a customer's notes holding the
password, a refusal quoting what it was sent, a generic call's result. So everything the server
says passes through one ``Redactor`` made from the settings: tool results (text and structured
content), errors, the questions put to the user, the audit log, and - through
``RedactingFilter`` on the log handlers - every log line, whoever wrote it. A secret is also
looked for as JSON, Python's repr and XML would escape it, since log lines and messages quote.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from pydantic import SecretStr

from ..config import Settings

MASK = "[redacted]"
SHORTEST = 8
"""Secrets shorter than this are not masked: "2024" or "sandbox" is also a date, an amount or a
word, and masking every one would corrupt the figures and text the books are made of."""
logger = logging.getLogger(__name__)


def _spellings(secret: str) -> set[str]:
    """``secret`` as it could appear once quoted in a log line, a JSON text or XML."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        escape(secret, {'"': "&quot;", "'": "&apos;"}),
    }


class Redactor:
    """Replaces each of a few secrets, however escaped, with ``MASK``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        secrets = [secret for secret in secrets if secret]
        if any(len(secret) < SHORTEST for secret in secrets):
            logger.warning(
                "the KashFlow password is shorter than %d characters, so it cannot be told "
                "apart from ordinary text: it is not masked should KashFlow echo it back",
                SHORTEST,
            )
        long_enough = [secret for secret in secrets if len(secret) >= SHORTEST]
        spellings = {form for secret in long_enough for form in _spellings(secret)}
        longest_first = sorted(spellings, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, longest_first))) if spellings else None

    @classmethod
    def for_settings(cls, settings: Settings, more: Iterable[SecretStr] = ()) -> Redactor:
        """The settings' password and bearer token, and ``more`` (each account's password)."""
        secrets = (settings.password, settings.auth_token, *more)
        return cls(secret.get_secret_value() for secret in secrets if secret is not None)

    def __bool__(self) -> bool:
        return self._pattern is not None

    def text(self, value: str) -> str:
        return value if self._pattern is None else self._pattern.sub(MASK, value)

    def data(self, value: Any) -> Any:
        """JSON-like ``value`` with every string in it (keys too) redacted."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {
                self.text(key) if isinstance(key, str) else key: self.data(item)
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value


class RedactingFilter(logging.Filter):
    """Redacts a record's message, traceback and stack before any handler formats it."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: still never show what its arguments hold
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redactor.text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.text(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.text(record.stack_info)
        return True


def redact_logs(redactor: Redactor, handlers: Iterable[logging.Handler] | None = None) -> None:
    """Make ``handlers`` (default: the root logger's, where every record ends up) redact."""
    if not redactor:
        return
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        handler.addFilter(RedactingFilter(redactor))
