"""The audit log: one JSON line for every call that could change the books.

Writes, deletes and generic calls are recorded whether they were done, held for
confirmation, refused or failed, so a bookkeeper can see what the assistant did. Arguments are
recorded without secrets: a confirmation token is noted as given, never copied.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_TARGET_KEYS = ("customer_id", "invoice_number", "code", "method")


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r})"

    def record(self, tool: str, arguments: dict[str, Any], outcome: str, detail: str = "") -> None:
        safe = {key: value for key, value in arguments.items() if value is not None}
        if safe.get("confirmation_token"):
            safe["confirmation_token"] = "(given)"
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
