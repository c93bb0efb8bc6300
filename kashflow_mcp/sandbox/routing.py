"""Which operation a request is for, decided as KashFlow's ASMX service decides it.

ASMX serves SOAP 1.1 and 1.2 at one endpoint (KashFlow's WSDL binds both). Before it reads the
body it guesses the version from the HTTP headers: a request with a ``SOAPAction`` header and a
Content-Type other than ``application/soap+xml`` is SOAP 1.1 and is routed on that header alone;
any other request goes to SOAP 1.2's routing, on the ``action`` parameter of the Content-Type,
else on the element inside the Body [.NET Framework source: SoapServerProtocol.GuessVersion and
the RouteRequest of Soap11ServerProtocolHelper and Soap12ServerProtocolHelper; field: another
ASMX service answers a SOAP 1.1 request sent without SOAPAction by routing on its body]. So a
missing SOAPAction is not itself a fault; a SOAPAction naming no operation is.

The faults it answers, with HTTP 500 and faultcode ``soap:Client`` (``soap:Sender`` in 1.2):

- the SOAPAction (one pair of surrounding quotes taken off, then URL-decoded) names no operation,
  an empty one included: "Server did not recognize the value of HTTP Header SOAPAction: {it}.",
  always as a SOAP 1.1 fault, whatever the body;
- no action at all and a body element naming no operation: "Unable to handle request without a
  valid action parameter. Please supply a valid soap action.";
- a SOAP 1.2 action naming no operation, and a body element naming none either: "Unable to
  handle request. The action '{action}' was not recognized."

Where ASMX would route on the header and then read a body made for another operation (reading
none of its parameters, so acting on nothing or refusing the credentials [inferred]), the sandbox
is stricter on purpose and faults, saying so: a client's mistake is named, not answered.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from starlette.requests import Request

from ..kashflow.catalogue import OPERATIONS, Operation
from ..kashflow.errors import ProtocolError

SOAP12_MEDIA = "application/soap+xml"
_BY_ACTION = {operation.soap_action: operation for operation in OPERATIONS.values()}


class RoutingFault(Exception):
    """The request names no operation: the SOAP fault ASMX answers, in the version given."""

    def __init__(self, message: str, *, soap12: bool) -> None:
        super().__init__(message)
        self.message = message
        self.soap12 = soap12


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def _decoded(action: str) -> str:
    if len(action) >= 2 and action.startswith('"') and action.endswith('"'):
        action = action[1:-1]
    return unquote_plus(action)


def _action_parameter(request: Request) -> str | None:
    """The ``action`` parameter of a SOAP 1.2 Content-Type, None when there is none."""
    for part in request.headers.get("content-type", "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "action":
            return _decoded(value.strip())
    return None


def soap11_operation(request: Request) -> Operation | None:
    """The operation a SOAP 1.1 request's SOAPAction names, from the headers alone; None when
    ASMX would route the request as SOAP 1.2 instead (no SOAPAction, or a SOAP 1.2 type)."""
    header = request.headers.get("soapaction")
    if header is None or media_type(request) == SOAP12_MEDIA:
        return None
    action = _decoded(header)
    operation = _BY_ACTION.get(action)
    if operation is None:
        raise RoutingFault(
            f"Server did not recognize the value of HTTP Header SOAPAction: {action}.", soap12=False
        )
    return operation


def soap12_operation(request: Request) -> Operation | None:
    """The operation the Content-Type's action names (SOAP 1.2 routing); None when it names
    none, and the body element decides."""
    action = _action_parameter(request)
    return _BY_ACTION.get(action) if action else None


def unroutable(request: Request, *, soap12: bool) -> RoutingFault:
    """The fault for a request routed on its body whose element names no operation."""
    action = _action_parameter(request)
    if not action:
        message = (
            "Unable to handle request without a valid action parameter. "
            "Please supply a valid soap action."
        )
    else:
        message = f"Unable to handle request. The action '{action}' was not recognized."
    return RoutingFault(message, soap12=soap12)


def mismatch(routed: Operation, found: str, *, header: bool) -> ProtocolError:
    """The sandbox's own fault for a body made for another operation than the one routed to."""
    named = "SOAPAction" if header else "The action"
    return ProtocolError(
        f"{named} {routed.soap_action} does not match the operation in the body ({found})"
    )
