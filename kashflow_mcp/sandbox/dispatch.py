"""Which operations the sandbox answers, and the answer to one request.

A handler takes the store and the request's decoded parameters and returns the outputs keyed by
the operation's output element names, or raises ``Refusal`` for ``Status=NO``. Operations of the
catalogue without a handler answer ``Status=NO`` saying the sandbox does not offer them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..kashflow.codec import SoapRequest, iter_response
from .areas import customers, invoices
from .db import SandboxStore
from .rules.values import Refusal

Params = dict[str, Any]
Handler = Callable[[SandboxStore, Params], Params]


def _reference(operation: str, kind: str) -> Handler:
    def handler(store: SandboxStore, params: Params) -> Params:
        with store.read() as books:
            return {f"{operation}Result": books.reference.get(kind)}

    handler.__name__ = operation
    return handler


_REFERENCE = {
    "GetCurrencies": "currencies",
    "GetVATRates": "vat_rates",
    "GetCustomerSources": "sources",
    "GetProjects": "projects",
    "GetNominalCodes": "nominal_codes",
    "GetInvPayMethods": "pay_methods",
    "GetCompanyDetails": "company",
}

HANDLERS: dict[str, Handler] = {
    **customers.HANDLERS,
    **invoices.HANDLERS,
    **{operation: _reference(operation, kind) for operation, kind in _REFERENCE.items()},
}


def not_offered(operation: str) -> str:
    return (
        f"The KashFlow sandbox does not offer {operation}; it emulates customers, invoices, "
        "invoice payments and reference data only"
    )


def perform(store: SandboxStore, operation: str, params: Params) -> Params:
    handler = HANDLERS.get(operation)
    if handler is None:
        raise Refusal(not_offered(operation))
    return handler(store, params)


def answer(store: SandboxStore, request: SoapRequest) -> Iterator[bytes]:
    """The response to an authenticated request (runs in a worker thread).

    The books are read or written here and now; the envelope is encoded lazily, piece by
    piece, so a list of twenty thousand customers starts flowing before it is all encoded.
    """
    operation = request.operation
    try:
        outputs = perform(store, operation.name, request.params)
    except Refusal as refusal:
        return iter_response(
            operation, {}, status="NO", detail=refusal.detail, soap12=request.soap12
        )
    return iter_response(operation, outputs, soap12=request.soap12)
