"""The sandbox as a Starlette app: KashFlow's SOAP endpoint plus a control surface for tests.

``POST /api/service.asmx`` answers SOAP 1.1 and 1.2 in the version it was asked in, routed and
read as KashFlow's ASMX service routes and reads them (``routing``, and the codec's request
reader). A SOAPAction naming no operation, malformed envelopes, elements outside the
``KashFlow`` namespace and a body made for another operation get a SOAP Fault with HTTP 500;
wrong credentials get HTTP 200 with ``Status=NO``, as KashFlow answers them.
``/_sandbox/faults`` and ``/_sandbox/requests`` let a test or benchmark inject faults and read
request counts over a real socket; ``/_sandbox/outbox`` shows the invoices ``EmailInvoice``
would have sent (the sandbox sends nothing). The app is meant for loopback only: nothing under
``/_sandbox`` asks for credentials.
"""

from __future__ import annotations

import hmac
import json
import logging
import os

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from ..kashflow.codec import SoapRequest, UnknownOperation, decode_request, encode_fault
from ..kashflow.codec import encode_response as encode
from ..kashflow.decode import KASHFLOW_NS
from ..kashflow.errors import ProtocolError
from . import routing
from .db import SandboxStore
from .dispatch import answer
from .faults import (
    DropConnection,
    FaultInjector,
    FaultRule,
    forced_response,
    quiet_dropped_connections,
)
from .seed import prepare
from .seed.companies import DEFAULT_COMPANY, company_named

logger = logging.getLogger(__name__)

ENDPOINT = "/api/service.asmx"
MAX_BODY = 10 * 1024 * 1024
MAX_CONTROL_BODY = 64 * 1024
SOAP11_TYPE = "text/xml; charset=utf-8"
SOAP12_TYPE = "application/soap+xml; charset=utf-8"
BAD_CREDENTIALS = "Incorrect username or password"
# Answers that can run to megabytes are sent as they are encoded; the rest in one piece, which
# is cheaper for a one-record answer.
_LONG_LISTS = frozenset(
    {
        "GetCustomers",
        "GetCustomersModifiedSince",
        "GetInvoicesForCustomer",
        "GetInvoicesByDateRange",
        "GetInvoices_Unpaid",
        "GetInvoices_Overdue",
        "GetInvoicesForCustomer_typeDefined",
        "GetInvoices_Unpaid_TypeDefined",
        "GetInvoices_Overdue_TypeDefined",
    }
)

_HELP = (
    "KashFlow sandbox: a local emulator of the KashFlow SOAP API.\n"
    f"POST SOAP 1.1 (text/xml) or SOAP 1.2 (application/soap+xml) envelopes to {ENDPOINT}.\n"
)


async def _read_capped(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _soap(payload: bytes, soap12: bool, status_code: int = 200) -> Response:
    media_type = SOAP12_TYPE if soap12 else SOAP11_TYPE
    return Response(payload, status_code=status_code, media_type=media_type)


def _fault(message: str, soap12: bool, *, client: bool = True) -> Response:
    return _soap(encode_fault(message, soap12=soap12, client_fault=client), soap12, 500)


class SoapEndpoint:
    def __init__(
        self, store: SandboxStore, faults: FaultInjector, *, username: str, password: str
    ) -> None:
        self.store = store
        self.faults = faults
        self._username = username.encode()
        self._password = password.encode()

    def _authorised(self, call: SoapRequest) -> bool:
        # Both comparisons always run, in constant time: no timing hint about which was wrong.
        user_ok = hmac.compare_digest(call.username.encode(), self._username)
        password_ok = hmac.compare_digest(call.password.encode(), self._password)
        return user_ok & password_ok

    async def post(self, request: Request) -> Response:
        media_type = routing.media_type(request)
        soap12 = media_type == routing.SOAP12_MEDIA
        if media_type not in ("text/xml", routing.SOAP12_MEDIA):
            return PlainTextResponse("Content-Type must be text/xml or application/soap+xml", 415)
        body = await _read_capped(request, MAX_BODY)
        if body is None:
            return PlainTextResponse(f"Request body larger than {MAX_BODY} bytes", 413)
        try:
            call = self._decode(request, body)
        except routing.RoutingFault as fault:
            return _fault(fault.message, fault.soap12)
        except ProtocolError as exc:
            return _fault(str(exc), soap12)
        except (RecursionError, ValueError, TypeError) as exc:
            # Pathological input (absurd nesting, say) is still the client's fault, not a crash.
            logger.warning("unreadable SOAP request (%s)", type(exc).__name__)
            return _fault("the request could not be read", soap12)
        operation = call.operation

        rule = self.faults.arrived(operation.name)
        if rule is not None and rule.latency:
            await anyio.sleep(rule.latency)
        if rule is not None and rule.status is not None:
            return forced_response(rule)

        if operation.credentials and not self._authorised(call):
            refusal = encode(operation, {}, status="NO", detail=BAD_CREDENTIALS, soap12=call.soap12)
            return _soap(refusal, call.soap12)
        if rule is not None and rule.refuse is not None:
            refusal = encode(operation, {}, status="NO", detail=rule.refuse, soap12=call.soap12)
            return _soap(refusal, call.soap12)
        try:
            pieces = await anyio.to_thread.run_sync(answer, self.store, call)
        except Exception:
            logger.exception("sandbox failed to answer %s", operation.name)
            return _fault("Server was unable to process request.", call.soap12, client=False)
        if rule is not None and rule.drop_after_commit:
            return DropConnection()
        media_type = SOAP12_TYPE if call.soap12 else SOAP11_TYPE
        if call.operation.name in _LONG_LISTS:
            return StreamingResponse(pieces, media_type=media_type)
        return Response(b"".join(pieces), media_type=media_type)

    @staticmethod
    def _decode(request: Request, body: bytes) -> SoapRequest:
        """The request, routed as ASMX routes it (``routing``): on a SOAP 1.1 SOAPAction before
        the body is read, else on the SOAP 1.2 action or the body's element."""
        by_header = routing.soap11_operation(request)
        routed = by_header or routing.soap12_operation(request)
        try:
            call = decode_request(body)
        except UnknownOperation as unknown:
            if routed is None:
                raise routing.unroutable(request, soap12=unknown.soap12) from None
            if unknown.namespace != KASHFLOW_NS:
                outside = "the request element is not in the KashFlow namespace"
                raise ProtocolError(outside) from None
            raise routing.mismatch(routed, unknown.name, header=by_header is not None) from None
        if routed is not None and call.operation is not routed:
            raise routing.mismatch(routed, call.operation.name, header=by_header is not None)
        return call

    async def help(self, request: Request) -> Response:
        return PlainTextResponse(_HELP)


class ControlEndpoints:
    """Fault rules, request counts and the outbox over HTTP, for tests, benchmarks and people
    trying the sandbox on a real socket."""

    def __init__(self, faults: FaultInjector, store: SandboxStore) -> None:
        self.faults = faults
        self.store = store

    async def add_fault(self, request: Request) -> Response:
        body = await _read_capped(request, MAX_CONTROL_BODY)
        if body is None:
            return JSONResponse({"error": "body too large"}, 413)
        try:
            rule = FaultRule.from_json(json.loads(body))
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, 400)
        self.faults.add(rule)
        return JSONResponse(rule.to_json(), 201)

    async def list_faults(self, request: Request) -> Response:
        return JSONResponse([rule.to_json() for rule in self.faults.rules])

    async def clear_faults(self, request: Request) -> Response:
        self.faults.clear()
        return Response(status_code=204)

    async def requests(self, request: Request) -> Response:
        return JSONResponse(dict(self.faults.counts))

    async def reset_requests(self, request: Request) -> Response:
        self.faults.counts.clear()
        return Response(status_code=204)

    async def outbox(self, request: Request) -> Response:
        """What EmailInvoice would have sent, oldest first."""

        def read() -> list[dict[str, object]]:
            with self.store.read() as books:
                return books.outbox.all()

        return JSONResponse(await anyio.to_thread.run_sync(read))

    async def empty_outbox(self, request: Request) -> Response:
        def empty() -> None:
            with self.store.write() as books:
                books.outbox.clear()

        await anyio.to_thread.run_sync(empty)
        return Response(status_code=204)


def create_app(
    db_path: str | os.PathLike[str],
    *,
    company: str = DEFAULT_COMPANY,
    username: str | None = None,
    password: str | None = None,
    seed: bool = True,
    scale: int = 0,
) -> Starlette:
    """The sandbox app on the database at ``db_path`` (created if missing), as ``company``.

    ``seed`` loads that company's demo books into a database that has never held a demo and
    has no customers; ``scale`` tops the books up to that many synthetic customers. The
    credentials are the company's own (``COMPANIES[company].username`` and ``.password``)
    unless given. Books of another company raise ``WrongCompany``; an unknown key raises
    ``UnknownCompany``.
    """
    profile = company_named(company)
    store = SandboxStore(db_path)
    try:
        prepare(store, company=profile.key, seed=seed, scale=scale)
    except BaseException:
        store.close()
        raise
    faults = FaultInjector()
    quiet_dropped_connections()
    soap = SoapEndpoint(
        store,
        faults,
        username=profile.username if username is None else username,
        password=profile.password if password is None else password,
    )
    control = ControlEndpoints(faults, store)
    app = Starlette(
        routes=[
            Route(ENDPOINT, soap.post, methods=["POST"]),
            Route(ENDPOINT, soap.help, methods=["GET"]),
            Route("/_sandbox/faults", control.add_fault, methods=["POST"]),
            Route("/_sandbox/faults", control.list_faults, methods=["GET"]),
            Route("/_sandbox/faults", control.clear_faults, methods=["DELETE"]),
            Route("/_sandbox/requests", control.requests, methods=["GET"]),
            Route("/_sandbox/requests", control.reset_requests, methods=["DELETE"]),
            Route("/_sandbox/outbox", control.outbox, methods=["GET"]),
            Route("/_sandbox/outbox", control.empty_outbox, methods=["DELETE"]),
        ]
    )
    app.state.store = store
    app.state.company = profile
    app.state.faults = faults
    app.state.requests = faults.counts
    return app
