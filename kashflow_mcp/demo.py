"""The main job, end to end: a scripted bookkeeping session over stdio on the sandbox.

It starts ``kashflow-mcp serve --sandbox`` as a subprocess and drives it with the MCP SDK's own
client, exactly as an assistant would: find a customer, see who owes what, create a customer,
raise an invoice, list, update, record part of a payment on it, credit part of it and set the
credit note against it once confirmed, note a chasing call, and delete with confirmation. Each
call and its result are printed as the model sees them.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import CallToolResult, TextContent


def _print(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Session:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.failures = 0

    async def call(self, title: str, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        _print(f"\n== {title}")
        _print(f"-> {tool} {json.dumps(arguments, separators=(',', ':'))}")
        result: CallToolResult = await self.client.call_tool(tool, arguments)
        text = "\n".join(b.text for b in result.content if isinstance(b, TextContent))
        marker = "!! " if result.is_error else "<- "
        for number, line in enumerate(text.splitlines()):
            _print(("   " if number else marker) + line)
        if result.is_error:
            self.failures += 1
        return result.structured_content or {}


async def script(session: Session) -> None:
    found = await session.call("Find a customer", "list_customers", {"search": "ltd", "limit": 5})
    first = found["customers"][0]["customer_id"]
    await session.call("Look at one customer", "get_customer", {"customer_id": first})
    await session.call("Who owes what, and how late", "aged_debtors", {"limit": 5})
    new = await session.call(
        "Create a customer",
        "create_customer",
        {
            "name": "Harbour Lights Cafe Ltd",
            "contact": "Priya Shah",
            "email": "accounts@harbourlights.example",
            "address": {"lines": ["4 Quay Street", "Whitby"], "postcode": "YO21 3PU"},
            "payment_terms": 14,
        },
    )
    customer_id = new["customer_id"]
    created = await session.call(
        "Raise an invoice",
        "create_invoice",
        {
            "customer_id": customer_id,
            "customer_reference": "PO-7781",
            "lines": [
                {"description": "Espresso machine service", "rate": "180.00", "vat_rate": "20"},
                {
                    "description": "Descaling tablets",
                    "quantity": "3",
                    "rate": "12.50",
                    "vat_rate": "20",
                },
            ],
        },
    )
    number = created["invoice"]["invoice_number"]
    await session.call("List their invoices", "list_invoices", {"customer_id": customer_id})
    await session.call(
        "Update the invoice",
        "update_invoice",
        {"invoice_number": number, "customer_reference": "PO-7781-A"},
    )
    await session.call(
        "The customer pays part of it by card",
        "record_payment",
        {"invoice_number": number, "amount": "100.00", "method_id": 4},
    )
    await session.call("See what was paid", "list_payments", {"invoice_number": number})
    credited = await session.call(
        "Credit part of it, to be set against the invoice (asks first)",
        "create_credit_note",
        {
            "customer_id": customer_id,
            "lines": [{"description": "Descaling tablets returned", "rate": "12.50",
                       "vat_rate": "20"}],
            "invoice_number": number,
        },
    )  # fmt: skip
    application = credited.get("application") or {}
    if application.get("confirmation_token"):
        await session.call(
            "Set the credit note against the invoice (the user agreed: confirm)",
            "apply_credit_note",
            {
                "credit_note_number": credited["credit_note"]["credit_note_number"],
                "invoice_number": number,
                "confirmation_token": application["confirmation_token"],
            },
        )
    await session.call(
        "Note a chasing call",
        "add_invoice_note",
        {"invoice_number": number, "note": "Rang Priya: the rest is paid on Friday"},
    )
    await session.call("Read the invoice with its notes", "get_invoice", {"invoice_number": number})
    preview = await session.call(
        "Delete the invoice (first call: preview only)",
        "delete_invoice",
        {"invoice_number": number},
    )
    await session.call(
        "Delete the invoice (the user agreed: confirm)",
        "delete_invoice",
        {"invoice_number": number, "confirmation_token": preview["confirmation_token"]},
    )
    preview = await session.call(
        "Delete the customer (preview)", "delete_customer", {"customer_id": customer_id}
    )
    await session.call(
        "Delete the customer (confirm)",
        "delete_customer",
        {"customer_id": customer_id, "confirmation_token": preview["confirmation_token"]},
    )


async def run_demo(db: Path | None = None) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        db_path = db or Path(scratch) / "demo-books.db"
        server = StdioServerParameters(
            command=sys.executable,
            args=["-m", "kashflow_mcp", "serve", "--sandbox", "--sandbox-db", str(db_path)],
            env=dict(os.environ),
        )
        _print(f"kashflow-mcp demo: a bookkeeping session on the sandbox ({db_path})")
        async with Client(server, read_timeout_seconds=60) as client:
            _print(f"server instructions: {client.instructions}")
            session = Session(client)
            await script(session)
    _print(
        f"\ndone: {'all calls succeeded' if not session.failures else f'{session.failures} failed'}"
    )
    return 1 if session.failures else 0
