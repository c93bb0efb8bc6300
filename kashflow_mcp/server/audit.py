"""The audit log: one JSON line for every call that could change the books.

Writes, deletes and generic calls are recorded whether they were done, held for
confirmation, refused or failed, so a bookkeeper can see what the assistant did. Arguments are
recorded without secrets: a confirmation token, or a password a model put in a generic call's
body, is noted as given, never copied.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import default_audit_log

logger = logging.getLogger(__name__)

_TARGET_KEYS = ("customer_id", "invoice_number", "code", "method")
_SECRET_KEYS = frozenset({"password", "confirmation_token", "token", "auth_token"})


def _redacted(value: Any) -> Any:
    """Arguments as given, with anything secret-looking noted as given rather than copied."""
    if isinstance(value, dict):
        return {
            key: "(given)" if str(key).casefold() in _SECRET_KEYS and item else _redacted(item)
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value


class AuditLog:
    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """Where entries go; the default is worked out only when the first one is written."""
        if self._path is None:
            self._path = default_audit_log()
        return self._path

    def __repr__(self) -> str:
        return f"AuditLog({str(self._path or 'default')!r})"

    def record(self, tool: str, arguments: dict[str, Any], outcome: str, detail: str = "") -> None:
        safe = _redacted(arguments)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "tool": tool,
            "target": {key: safe[key] for key in _TARGET_KEYS if key in safe},
            "outcome": outcome,
            "detail": detail,
            "arguments": safe,
        }
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line)
        except OSError as exc:
            # The books matter more than the log of them: say so loudly, but do not fail the call.
            logger.error("could not write the audit log %s: %s", self.path, exc)
