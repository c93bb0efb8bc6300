"""Which operations the sandbox answers, and the answer to one request.

A handler names the operation of the catalogue it serves, ``@serves("GetCustomer")``, and takes
the books and the request's decoded parameters. It runs in a transaction chosen by the
operation's kind: a snapshot for reads, ``BEGIN IMMEDIATE`` for the rest, rolled back when the
handler raises. It returns the operation's result, and the output element names come from the
catalogue: the one value of an operation with one output is put under that output's name, an
operation with several returns them by name, and None answers nothing. ``Refusal`` answers
``Status=NO``, as does an operation of the catalogue with no handler, saying the sandbox does
not offer it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..kashflow.catalogue import OPERATIONS, Kind, Operation
from ..kashflow.codec import SoapRequest, iter_response
from .db import Books, SandboxStore
from .rules.values import Refusal

Params = Mapping[str, Any]
Handler = Callable[[Books, Params], Any]

# Filled by @serves as the area modules are imported (the last lines of this module).
HANDLERS: dict[str, Handler] = {}


def serves(operation: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``operation``."""
    if operation not in OPERATIONS:
        raise ValueError(f"{operation} is not an operation of the KashFlow catalogue")

    def register(handler: Handler) -> Handler:
        if operation in HANDLERS:
            raise ValueError(f"{operation} is already served by {HANDLERS[operation].__name__}")
        HANDLERS[operation] = handler
        return handler

    return register


def outputs(operation: Operation, result: Any) -> dict[str, Any]:
    """A handler's result keyed by the operation's output element names."""
    names = [name for name, _ in operation.outputs]
    if len(names) == 1:
        return {names[0]: result}
    if result is None:
        return {}
    if not isinstance(result, Mapping) or not set(result) <= set(names):
        given = sorted(result) if isinstance(result, Mapping) else type(result).__name__
        raise TypeError(
            f"{operation.name} answers by name with {names or 'nothing'}; its handler gave {given}"
        )
    return dict(result)


def not_offered(operation: str) -> str:
    return (
        f"The KashFlow sandbox does not offer {operation}; it emulates customers, invoices "
        "(credit notes and notes included), invoice payments, reference data and reports from "
        "its books only"
    )


def perform(store: SandboxStore, operation: Operation, params: Params) -> dict[str, Any]:
    handler = HANDLERS.get(operation.name)
    if handler is None:
        raise Refusal(not_offered(operation.name))
    transaction = store.read if operation.kind is Kind.READ else store.write
    with transaction() as books:
        result = handler(books, params)
    return outputs(operation, result)


def answer(store: SandboxStore, request: SoapRequest) -> Iterator[bytes]:
    """The response to an authenticated request (runs in a worker thread).

    The books are read or written here and now; the envelope is encoded lazily, piece by
    piece, so a list of twenty thousand customers starts flowing before it is all encoded.
    """
    operation = request.operation
    try:
        answered = perform(store, operation, request.params)
    except Refusal as refusal:
        return iter_response(
            operation, {}, status="NO", detail=refusal.detail, soap12=request.soap12
        )
    return iter_response(operation, answered, soap12=request.soap12)


# Each area registers its handlers with @serves as it is imported; they import serves from
# here, so this comes last.
from . import areas  # noqa: E402, F401
