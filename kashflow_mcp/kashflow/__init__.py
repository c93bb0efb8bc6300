"""KashFlow's SOAP API: wire models, envelope codec, operation catalogue and an async client.

Imports nothing from ``mcp``: this layer knows only KashFlow and HTTP.
"""

from .api import KashFlowClient
from .catalogue import OPERATIONS, Kind, Operation, get_operation
from .errors import (
    ApiDisabledError,
    AuthenticationError,
    InvalidRequestError,
    IpNotAllowedError,
    KashFlowError,
    KashFlowRefused,
    NotFoundError,
    OutcomeUnknownError,
    ProtocolError,
    RequestEncodingError,
    SoapFaultError,
    TransportError,
)
from .retry import RetryPolicy
from .soap import KASHFLOW_API_URL, Applied, writes_applied

__all__ = [
    "KASHFLOW_API_URL",
    "OPERATIONS",
    "ApiDisabledError",
    "Applied",
    "AuthenticationError",
    "InvalidRequestError",
    "IpNotAllowedError",
    "KashFlowClient",
    "KashFlowError",
    "KashFlowRefused",
    "Kind",
    "NotFoundError",
    "Operation",
    "OutcomeUnknownError",
    "ProtocolError",
    "RequestEncodingError",
    "RetryPolicy",
    "SoapFaultError",
    "TransportError",
    "get_operation",
    "writes_applied",
]
