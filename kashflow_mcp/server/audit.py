"""The audit log: JSON lines for every call that could change the books, crash or no crash.

A call that gets as far as its handler writes an ``attempt`` line before anything is sent to
KashFlow, and an ``outcome`` line when it ends; the two share an ``id``. Each line is flushed
and fsync'd before the call goes on, so a server killed mid-call leaves an attempt with no
outcome: the one write whose fate must be checked in KashFlow. A call refused before acting
(bad arguments, read-only mode) writes one ``outcome`` line and no attempt.

Arguments are recorded without secrets: a confirmation token, or a password a model put in a
generic call's body, is noted as given, never copied.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio

from ..config import default_audit_log

logger = logging.getLogger(__name__)

_TARGET_KEYS = ("account", "customer_id", "invoice_number", "payment_id", "code", "method")
_SECRET_KEYS = frozenset({"password", "confirmation_token", "token", "auth_token"})
# What a result names the record by: a new customer's id and code, an invoice's number, ...
_RESULT_IDS = (
    "customer_id",
    "code",
    "invoice_number",
    "credit_note_number",
    "note_id",
    "payment_id",
)


class AuditUnavailable(OSError):
    """The attempt line could not be made durable, so the call must not go ahead."""


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


def result_ids(result: dict[str, Any]) -> dict[str, Any]:
    """The ids a result names, at its top level or one record down (``invoice.invoice_number``).

    The generic call's answer to a write is a bare number or id (``InsertInvoice`` returns the
    new invoice's number): that is kept as ``result``.
    """
    found = {key: result[key] for key in _RESULT_IDS if key in result}
    for value in result.values():
        if isinstance(value, dict):
            found.update({k: value[k] for k in _RESULT_IDS if k in value and k not in found})
    answer = result.get("result")
    if result.get("kind", "read") != "read" and isinstance(answer, int | str):
        found["result"] = answer
    return found


def result_outcome(arguments: dict[str, Any], result: dict[str, Any], text: str) -> tuple[str, str]:
    """How a call that returned ends up in the log: done, held for confirmation, or partial.

    ``create_invoice(paid=true)`` can create the invoice and then fail to record its payment:
    that is not "done", and the heading the model reads says what failed.
    """
    if arguments.get("paid") is True and result.get("payment_recorded") is False:
        return "partial", text.split("\n", 1)[0]
    status = result.get("status", "done")
    return ("done" if status in ("done", "ok", "deleted") else str(status)), ""


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

    async def attempt(self, tool: str, arguments: dict[str, Any]) -> str:
        """Log that ``tool`` is about to act; its id. Raises AuditUnavailable if it cannot."""
        call = uuid.uuid4().hex
        safe = _redacted(arguments)
        entry = {**self._head(call, "attempt", tool, safe), "arguments": safe}
        try:
            await self._append(entry)
        except OSError as exc:
            logger.error("could not write the audit log %s: %s", self.path, exc)
            raise AuditUnavailable(str(exc)) from None
        return call

    async def outcome(
        self,
        call: str | None,
        tool: str,
        arguments: dict[str, Any],
        outcome: str,
        detail: str = "",
        ids: dict[str, Any] | None = None,
    ) -> None:
        """Log how a call ended: after its ``attempt``, or alone for a call refused unattempted."""
        safe = _redacted(arguments)
        entry = self._head(call or uuid.uuid4().hex, "outcome", tool, safe)
        entry.update(outcome=outcome, detail=detail)
        if ids:
            entry["ids"] = ids
        if call is None:
            entry["arguments"] = safe
        try:
            await self._append(entry)
        except OSError as exc:
            # The call has happened: failing it now would invite a repeat. Say so loudly.
            logger.error("could not write the audit log %s: %s", self.path, exc)

    @staticmethod
    def _head(call: str, event: str, tool: str, safe: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": call,
            "event": event,
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "tool": tool,
            "target": {key: safe[key] for key in _TARGET_KEYS if key in safe},
        }

    async def _append(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        # fsync blocks for milliseconds: in a worker thread, other calls go on meanwhile.
        await anyio.to_thread.run_sync(self._write_durably, line.encode("utf-8"))

    def _write_durably(self, data: bytes) -> None:
        with self._lock:
            path = self.path
            created = not path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if created:
                _sync_directory(path.parent)  # so the new file's name survives a crash too


def _sync_directory(directory: Path) -> None:
    # Not possible everywhere (Windows cannot open a directory): the file's own fsync holds.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class AuditedCall:
    """One call as the log tells it: its attempt (if it got that far) and its outcome."""

    id: str
    attempt: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None

    @property
    def unfinished(self) -> bool:
        """Attempted, and never reported how it ended: check KashFlow for what it did."""
        return self.attempt is not None and self.outcome is None

    @property
    def first(self) -> dict[str, Any]:
        entry = self.attempt or self.outcome
        assert entry is not None
        return entry


def read_calls(path: Path) -> tuple[list[AuditedCall], int]:
    """Every call in the log in the order it began, and how many lines could not be read.

    A line cut short (the process died while writing it) is counted and skipped, not fatal.
    Lines from before attempts were logged have no id or event: each is a call that ended.
    """
    found: dict[str, AuditedCall] = {}
    unreadable = 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
                call_id = str(entry.get("id") or f"line {number}")
            except (ValueError, AttributeError):
                unreadable += 1
                continue
            call = found.setdefault(call_id, AuditedCall(call_id))
            if entry.get("event") == "attempt":
                call.attempt = entry
            else:
                call.outcome = entry
    return list(found.values()), unreadable
