"""Every way a KashFlow call can fail, in one place.

KashFlow reports most failures as HTTP 200 with ``Status=NO`` and a human sentence in
``StatusDetail``; malformed requests get a SOAP Fault. ``error_from_status`` is the one place
that turns a refusal into a typed exception. The message of every exception here is safe to show
a user or a model: it never carries XML, credentials or a traceback.
"""

from __future__ import annotations

import re


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


def error_from_status(operation: str, detail: str) -> KashFlowRefused:
    """The exception for a ``Status=NO`` answer to ``operation``."""
    for pattern, error_type in _PATTERNS:
        if pattern.search(detail):
            return error_type(detail, operation=operation)
    return KashFlowRefused(detail, operation=operation)
