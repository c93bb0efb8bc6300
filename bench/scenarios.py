"""Every tool's scenarios, in one table: what a user asks each tool to do, played on demo books.

A scenario is one tool call, with an untimed set-up that returns its arguments (creating, or
previewing, what the call needs) and the fields its result must show, so that a scenario which
silently did something else (a confirm that only previewed, say) fails instead of being
counted. ``bench.round_trips`` plays them; the bench times them at network latency and
``tests/server/test_round_trips.py`` pins the KashFlow calls each makes. Every tool the server
offers needs at least one (a test fails otherwise): a new area adds its rows here.

Set-ups run on the demo company of a fresh sandbox, so the same books give the same calls.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mcp import Client

from .measure import BenchError

Arguments = dict[str, Any]
Setup = Callable[[Client], Awaitable[Arguments]]

CUSTOMER = 20001  # a demo customer with invoices
LINES = [{"description": "Design work", "rate": "100.00", "vat_rate": "20"}]
PAGE = 25


@dataclass(frozen=True)
class Scenario:
    tool: str
    name: str
    setup: Setup
    """Untimed and unrecorded: returns the arguments of the call measured."""
    expect: Mapping[str, Any] = field(default_factory=dict)
    """Fields the call's structured result must hold."""

    def check(self, structured: Mapping[str, Any]) -> None:
        wrong = {key: structured.get(key) for key, value in self.expect.items()}
        wrong = {key: got for key, got in wrong.items() if got != self.expect[key]}
        if wrong:
            raise BenchError(f"{self.name}: expected {dict(self.expect)}, the result had {wrong}")


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    """The structured result of a set-up call, which must succeed."""
    result = await client.call_tool(tool, arguments)
    if result.is_error or result.structured_content is None:
        text = " ".join(getattr(block, "text", "") for block in result.content)
        raise BenchError(f"setting up: {tool}({arguments}) failed: {text}")
    return result.structured_content


def given(**arguments: Any) -> Setup:
    """A set-up with nothing to do: the call's arguments are fixed."""

    async def setup(_: Client) -> Arguments:
        return dict(arguments)

    return setup


async def new_invoice(client: Client) -> int:
    """A new unpaid GBP invoice for the demo customer: its number."""
    created = await call(client, "create_invoice", customer_id=CUSTOMER, lines=LINES)
    return int(created["invoice"]["invoice_number"])


async def with_token(client: Client, tool: str, arguments: Arguments) -> Arguments:
    """``arguments`` plus the confirmation token their preview hands out."""
    preview = await call(client, tool, **arguments)
    return {**arguments, "confirmation_token": preview["confirmation_token"]}


async def _after_first_page(client: Client) -> Arguments:
    await call(client, "list_customers", limit=PAGE)
    return {"limit": PAGE, "offset": PAGE}


async def _by_code(client: Client) -> Arguments:
    return {"code": (await call(client, "get_customer", customer_id=CUSTOMER))["code"]}


async def _delete_customer(client: Client) -> Arguments:
    return await with_token(client, "delete_customer", {"customer_id": CUSTOMER})


async def _an_invoice(client: Client) -> Arguments:
    return {"invoice_number": await new_invoice(client)}


async def _update_invoice(client: Client) -> Arguments:
    return {"invoice_number": await new_invoice(client), "customer_reference": "PO-7731"}


async def _invoice_currency(client: Client) -> Arguments:
    return {"invoice_number": await new_invoice(client), "currency_code": "EUR"}


async def _delete_invoice(client: Client) -> Arguments:
    return await with_token(client, "delete_invoice", await _an_invoice(client))


async def _payment(client: Client) -> Arguments:
    number = await new_invoice(client)
    payment = {"PayInvoice": number, "PayAmount": "120.00", "PayDate": date.today().isoformat()}
    return {"method": "InsertInvoicePayment", "body": {"InvoicePayment": payment}}


async def _payment_with_token(client: Client) -> Arguments:
    return await with_token(client, "call_kashflow_api", await _payment(client))


async def _paying(client: Client) -> Arguments:
    return {"invoice_number": await new_invoice(client)}


async def _a_listed_invoice(client: Client) -> Arguments:
    listed = await call(client, "list_invoices", customer_id=CUSTOMER)
    return {"invoice_number": listed["invoices"][0]["invoice_number"]}


EVER = {"date_from": "2000-01-01", "date_to": "2099-12-31"}


async def _a_listed_payment(client: Client) -> Arguments:
    listed = await call(client, "list_payments", **EVER, limit=1)
    return {"payment_id": listed["payments"][0]["payment_id"]}


async def _delete_payment(client: Client) -> Arguments:
    return await with_token(client, "delete_payment", await _a_listed_payment(client))


REFUND = [{"description": "Refund", "rate": "10.00", "vat_rate": "20"}]


async def _credit_against(client: Client) -> Arguments:
    return {"customer_id": CUSTOMER, "lines": REFUND, "invoice_number": await new_invoice(client)}


async def _apply_credit(client: Client) -> Arguments:
    made = await call(client, "create_credit_note", customer_id=CUSTOMER, lines=REFUND)
    number = made["credit_note"]["credit_note_number"]
    return {"credit_note_number": number, "invoice_number": await new_invoice(client)}


async def _apply_credit_with_token(client: Client) -> Arguments:
    return await with_token(client, "apply_credit_note", await _apply_credit(client))


async def _note(client: Client) -> Arguments:
    return {**(await _a_listed_invoice(client)), "note": "Rang them: paying Friday"}


MAIL = {"to": "accounts@harbourside-coffee-co.example", "subject": "Invoice", "body": "Attached."}


async def _email(client: Client) -> Arguments:
    return {**(await _a_listed_invoice(client)), **MAIL}


async def _email_with_token(client: Client) -> Arguments:
    return await with_token(client, "email_invoice", await _email(client))


UNLISTED_PAYMENT = 810001  # a demo payment no call has listed yet
PREVIEWED = {"status": "confirmation_required"}
SCENARIOS: tuple[Scenario, ...] = (
    # customers
    Scenario("list_customers", "list_customers", given(limit=PAGE)),
    Scenario(
        "list_customers",
        "list_customers: next page within the cache window",
        _after_first_page,
        {"offset": PAGE},
    ),
    Scenario("get_customer", "get_customer by id", given(customer_id=CUSTOMER)),
    Scenario("get_customer", "get_customer by code", _by_code),
    Scenario(
        "create_customer",
        "create_customer with a code",
        given(name="Round Trip Ltd", code="RTRIP01"),
        {"code": "RTRIP01"},
    ),
    Scenario(
        "create_customer",
        "create_customer, code chosen by the server",
        given(name="Round Trip Ltd"),
        {"code": "ROUNDT01"},
    ),
    Scenario(
        "update_customer",
        "update_customer",
        given(customer_id=CUSTOMER, notes="Prefers email."),
        {"changed": ["notes"]},
    ),
    Scenario(
        "delete_customer",
        "delete_customer: preview",
        given(customer_id=CUSTOMER),
        PREVIEWED,
    ),
    Scenario(
        "delete_customer",
        "delete_customer: confirm with token",
        _delete_customer,
        {"status": "deleted"},
    ),
    # invoices
    Scenario("list_invoices", "list_invoices", given(customer_id=CUSTOMER)),
    Scenario("get_invoice", "get_invoice", _an_invoice),
    Scenario(
        "create_invoice",
        "create_invoice",
        given(customer_id=CUSTOMER, lines=LINES),
        {"payment_recorded": False},
    ),
    Scenario(
        "create_invoice",
        "create_invoice paid=true",
        given(customer_id=CUSTOMER, lines=LINES, paid=True),
        {"payment_recorded": True},
    ),
    Scenario(
        "create_invoice",
        "create_invoice, a line with a nominal code",
        given(customer_id=CUSTOMER, lines=[{**LINES[0], "nominal_code": 4000}]),
    ),
    Scenario("list_invoices", "list_invoices unpaid, every customer", given(status="unpaid")),
    Scenario("list_invoices", "list_invoices overdue, every customer", given(status="overdue")),
    Scenario(
        "list_invoices",
        "list_invoices in a period, every customer",
        given(date_from="2025-01-01", date_to="2025-12-31"),
    ),
    Scenario("email_invoice", "email_invoice: preview", _email, PREVIEWED),
    Scenario(
        "email_invoice",
        "email_invoice: confirm with token",
        _email_with_token,
        {"status": "sent"},
    ),
    Scenario(
        "update_invoice", "update_invoice", _update_invoice, {"changed": ["customer_reference"]}
    ),
    Scenario("update_invoice", "update_invoice currency_code", _invoice_currency),
    Scenario("delete_invoice", "delete_invoice: preview", _an_invoice, PREVIEWED),
    Scenario(
        "delete_invoice",
        "delete_invoice: confirm with token",
        _delete_invoice,
        {"status": "deleted"},
    ),
    # payments
    Scenario("record_payment", "record_payment of all that is due", _paying),
    Scenario("list_payments", "list_payments of an invoice", _a_listed_invoice),
    Scenario("list_payments", "list_payments in a period", given(**EVER)),
    Scenario(
        "delete_payment",
        "delete_payment: preview of a listed payment",
        _a_listed_payment,
        PREVIEWED,
    ),
    Scenario(
        "delete_payment",
        "delete_payment: preview of a payment never listed",
        given(payment_id=UNLISTED_PAYMENT),
        PREVIEWED,
    ),
    Scenario(
        "delete_payment",
        "delete_payment: confirm with token",
        _delete_payment,
        {"status": "deleted"},
    ),
    Scenario("aged_debtors", "aged_debtors", given()),
    Scenario("list_payment_methods", "list_payment_methods", given()),
    Scenario("list_bank_accounts", "list_bank_accounts", given()),
    # credit notes and notes
    Scenario(
        "create_credit_note",
        "create_credit_note",
        given(customer_id=CUSTOMER, lines=REFUND),
    ),
    Scenario("create_credit_note", "create_credit_note against an invoice", _credit_against),
    Scenario("apply_credit_note", "apply_credit_note: preview", _apply_credit, PREVIEWED),
    Scenario(
        "apply_credit_note",
        "apply_credit_note: confirm with token",
        _apply_credit_with_token,
        {"status": "applied"},
    ),
    Scenario("add_invoice_note", "add_invoice_note", _note),
    # the generic call
    Scenario(
        "call_kashflow_api",
        "call_kashflow_api read",
        given(method="GetCustomerBalance", body={"CustomerCode": "HARB01"}),
        {"status": "ok"},
    ),
    Scenario("call_kashflow_api", "call_kashflow_api write: preview", _payment, PREVIEWED),
    Scenario(
        "call_kashflow_api",
        "call_kashflow_api write: confirm with token",
        _payment_with_token,
        {"status": "ok"},
    ),
)
