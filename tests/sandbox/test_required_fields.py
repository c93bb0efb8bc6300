"""call_kashflow_api's required fields and the sandbox's refusals say the same thing.

For each write the sandbox emulates, a body with only the required fields passes the body
checks and the sandbox takes it; leave any one of them out and both refuse it. A change to
either side that the other does not follow fails here.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kashflow_mcp.kashflow import OPERATIONS, KashFlowClient, KashFlowRefused
from kashflow_mcp.sandbox.dispatch import HANDLERS
from kashflow_mcp.tools.api_call.body import body_problems
from kashflow_mcp.tools.api_call.rules import REQUIRED

pytestmark = pytest.mark.anyio
DAY = "2026-01-05"


async def minimal_bodies(kf: KashFlowClient) -> dict[str, dict[str, Any]]:
    """The least each emulated write needs, aimed at records that exist."""
    customer = (await kf.customers.all())[0].CustomerID
    # One to rewrite (nothing paid on it yet, so its lines may shrink), one to pay.
    untouched = [i for i in await kf.invoices.unpaid() if not i.AmountPaid]
    invoice, unpaid = untouched[:2]
    number, dbid = invoice.InvoiceNumber, invoice.InvoiceDBID
    line = {"Description": "Minimal"}
    return {
        "InsertCustomer": {"custr": {"Name": "Minimal Ltd"}},
        "UpdateCustomer": {"custr": {"CustomerID": customer, "Name": "Minimal Ltd"}},
        "InsertInvoice": {
            "Inv": {"CustomerID": customer, "InvoiceDate": DAY, "Lines": [dict(line)]}
        },
        "UpdateInvoice": {
            "Inv": {
                "InvoiceNumber": number,
                "CustomerID": customer,
                "InvoiceDate": DAY,
                "Lines": [dict(line)],
            }
        },
        "InsertInvoice_TypeDefined": {
            "Inv_TD": {"CustomerID": customer, "InvoiceDate": DAY, "Lines": [dict(line)]}
        },
        "UpdateInvoice_TypeDefined": {
            "InvTD": {
                "InvoiceNumber": number,
                "CustomerID": customer,
                "InvoiceDate": DAY,
                "Lines": [dict(line)],
            }
        },
        "UpdateInvoiceHeader": {
            "Inv": {"InvoiceNumber": number, "CustomerID": customer, "InvoiceDate": DAY}
        },
        "InsertInvoiceLine": {"InvoiceID": dbid, "InvLine": dict(line)},
        "InsertInvoiceLineWithInvoiceNumber": {"InvoiceNumber": number, "InvLine": dict(line)},
        "InsertInvoicePayment": {
            "InvoicePayment": {
                "PayInvoice": unpaid.InvoiceNumber,
                "PayDate": DAY,
                "PayAmount": "0.01",
            }
        },
    }


def without(body: dict[str, Any], rule: str) -> dict[str, Any]:
    """``body`` with the field(s) a rule names taken out (of the first line, for lines)."""
    left = copy.deepcopy(body)
    for path in rule.split("|"):
        *outer, last = path.replace("[]", ".0").split(".")
        record: Any = left
        for part in outer:
            record = record[int(part)] if isinstance(record, list) else record.get(part, {})
        if isinstance(record, dict):
            record.pop(last, None)
    return left


def test_every_emulated_write_with_required_fields_is_covered_here() -> None:
    emulated = {name for name in REQUIRED if name in HANDLERS}
    assert emulated == {
        "InsertCustomer",
        "UpdateCustomer",
        "InsertInvoice",
        "UpdateInvoice",
        "InsertInvoice_TypeDefined",
        "UpdateInvoice_TypeDefined",
        "UpdateInvoiceHeader",
        "InsertInvoiceLine",
        "InsertInvoiceLineWithInvoiceNumber",
        "InsertInvoicePayment",
    }


async def test_the_required_fields_are_enough_for_the_sandbox(demo_kf: KashFlowClient) -> None:
    for name, body in (await minimal_bodies(demo_kf)).items():
        assert body_problems(OPERATIONS[name], body) == [], name
        await demo_kf.call(name, body)


async def test_without_any_required_field_both_refuse(demo_kf: KashFlowClient) -> None:
    bodies = await minimal_bodies(demo_kf)
    agreed = []
    for name, body in bodies.items():
        for rule in REQUIRED[name]:
            incomplete = without(body, rule)
            problems = " ".join(body_problems(OPERATIONS[name], incomplete))
            named = rule.split("|")[0].replace("[]", ".0")
            assert f"body.{named}" in problems, (name, rule, problems)
            with pytest.raises(KashFlowRefused) as refusal:
                await demo_kf.call(name, incomplete)
            reason = refusal.value.detail
            assert named.split(".")[-1] in reason or "not found" in reason, (name, reason)
            agreed.append((name, rule))
    assert len(agreed) == sum(len(REQUIRED[name]) for name in bodies)


def fields_inside_records(value: Any, path: str = "") -> list[str]:
    """Paths of the leaf fields inside a body's records (``Inv.Lines[].Description``)."""
    if isinstance(value, dict):
        found = []
        for name, item in value.items():
            found += fields_inside_records(item, f"{path}.{name}" if path else name)
        return found
    if isinstance(value, list):
        return fields_inside_records(value[0], f"{path}[]") if value else []
    return [path] if "." in path else []


async def test_whatever_the_sandbox_needs_in_a_record_is_in_the_table(
    demo_kf: KashFlowClient,
) -> None:
    """Each field of the minimal bodies is one the sandbox refuses to do without: the table
    must require each of them, so nothing the sandbox needs is left for after approval."""
    for name, body in (await minimal_bodies(demo_kf)).items():
        required = {path for rule in REQUIRED[name] for path in rule.split("|")}
        for field in fields_inside_records(body):
            with pytest.raises(KashFlowRefused):
                await demo_kf.call(name, without(body, field))
            assert field in required, (name, field)
