"""Every way a KashFlow call can fail, in one place.

KashFlow reports most failures as HTTP 200 with ``Status=NO`` and a human sentence in
``StatusDetail``; malformed requests get a SOAP Fault. ``error_from_status`` is the one place
that turns a refusal into a typed exception. The message of every exception here is safe to show
a user or a model: it never carries XML, credentials or a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any


class KashFlowError(Exception):
    """Base class. ``operation`` is the SOAP operation that failed."""

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__(message)
        self.operation = operation


class KashFlowRefused(KashFlowError):
    """KashFlow answered ``Status=NO``. ``detail`` is its reason, verbatim."""

    hint = ""

    def __init__(self, detail: str, *, operation: str | None = None) -> None:
        self.detail = detail
        text = detail or "no reason given"
        message = f"KashFlow refused {operation}: {text}" if operation else text
        if self.hint:
            message = f"{message}. {self.hint}"
        super().__init__(message, operation=operation)


class AuthenticationError(KashFlowRefused):
    hint = (
        "Check KASHFLOW_USERNAME and KASHFLOW_PASSWORD; if the account uses 'Separate API "
        "password' (KashFlow > Apps > API Settings), the password must be that one"
    )


class ApiDisabledError(KashFlowRefused):
    hint = "Tick 'Enable SOAP API' in KashFlow > Apps > API Settings"


class IpNotAllowedError(KashFlowRefused):
    hint = (
        "Untick 'Restrict access to specific IP addresses' in KashFlow > Apps > API Settings, "
        "or add this server's IP address there"
    )


class NotFoundError(KashFlowRefused):
    """The record asked for does not exist (or is not visible to this account)."""


class InvalidRequestError(KashFlowRefused):
    """KashFlow rejected the values sent."""


class SoapFaultError(KashFlowError):
    """The service answered with a SOAP Fault: the request itself was malformed."""

    def __init__(self, fault: str, *, operation: str | None = None) -> None:
        self.fault = fault
        super().__init__(
            f"KashFlow rejected the request to {operation}: {fault}", operation=operation
        )


class ProtocolError(KashFlowError):
    """The response was not a SOAP answer we can read (wrong endpoint, proxy page, bad XML)."""


class RequestEncodingError(KashFlowError, ValueError):
    """A value cannot be sent to KashFlow as given; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        super().__init__(f"{field}: {problem}")


class TransportError(KashFlowError):
    """KashFlow could not be reached, or kept failing, and retries are used up.

    ``retry_after`` is a hint in seconds when the service gave one.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, operation=operation)
        self.retry_after = retry_after


class OutcomeUnknownError(KashFlowError):
    """A write was sent and no answer came back: KashFlow may or may not have applied it.

    It is never re-sent automatically; callers reconcile by looking the record up.
    """


# KashFlow publishes no list of StatusDetail texts; these patterns follow the wording reported
# by integrators and are deliberately narrow. Anything unmatched stays a plain KashFlowRefused.
_PATTERNS: tuple[tuple[re.Pattern[str], type[KashFlowRefused]], ...] = (
    (re.compile(r"\bip\b|ip address", re.I), IpNotAllowedError),
    (
        re.compile(r"api\b.*\b(not enabled|disabled|not activated)|enable.*\bapi\b", re.I),
        ApiDisabledError,
    ),
    (re.compile(r"username|password|log ?in|credential|authenticat", re.I), AuthenticationError),
    (
        re.compile(
            r"not found|does not exist|doesn't exist|no such|could not find|unable to find", re.I
        ),
        NotFoundError,
    ),
    (
        re.compile(r"invalid|required|must|cannot|can't|missing|too long|not allowed", re.I),
        InvalidRequestError,
    ),
)


def error_from_status(operation: str, detail: str, sent: Iterable[str] = ()) -> KashFlowRefused:
    """The exception for a ``Status=NO`` answer to ``operation``.

    KashFlow's reasons often echo what was asked ("Customer not found: IP"), so the values the
    request carried (``sent``, see ``sent_values``) are taken out of the reason before it is
    classified: a customer coded "IP" is not an IP restriction, nor "MYPASSWORD" a wrong
    password. The message keeps the whole reason.
    """
    reason = _without(detail, sent)
    for pattern, error_type in _PATTERNS:
        if pattern.search(reason):
            return error_type(detail, operation=operation)
    return KashFlowRefused(detail, operation=operation)


def sent_values(*sources: Any) -> list[str]:
    """Every text and number in ``sources``, through records and lists, as text; longest first."""
    found: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            found.add(value.strip())
        elif isinstance(value, Decimal):
            found.update((str(value), format(value, "f")))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found.add(str(value))
        elif isinstance(value, Mapping):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    for source in sources:
        collect(source)
    return sorted(filter(None, found), key=lambda text: (-len(text), text))


def _without(detail: str, values: Iterable[str]) -> str:
    """``detail`` with each whole occurrence of ``values`` blanked out, in any case."""
    alternatives = [_whole(value) for value in values]
    if not alternatives or not detail:
        return detail
    return re.sub("|".join(alternatives), " ", detail, flags=re.IGNORECASE)


_WORD = re.compile(r"\w")


def _whole(value: str) -> str:
    """A pattern for ``value`` not cut out of a longer word: a code "in" leaves "invalid" be."""
    start = r"(?<!\w)" if _WORD.match(value[0]) else ""
    end = r"(?!\w)" if _WORD.match(value[-1]) else ""
    return start + re.escape(value) + end
