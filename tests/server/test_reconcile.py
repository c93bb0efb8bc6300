"""Writes whose answer is lost are looked up, never re-sent, and reported truthfully.

The sandbox runs on a real socket so that "commit, then drop the connection" really drops it.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from kashflow_mcp.kashflow import KashFlowClient, NotFoundError

from .calls import ok, refused, text_of
from .over_sockets import connected, fault

pytestmark = pytest.mark.anyio
LINES = [{"description": "Survey", "rate": "250.00", "vat_rate": "20"}]


async def named(kashflow: KashFlowClient, name: str) -> list[int]:
    return [c.CustomerID or 0 for c in await kashflow.customers.all() if c.Name == name]


async def test_a_create_whose_answer_is_lost_is_found_not_repeated(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        fault(app, "InsertCustomer", drop_after_commit=True)
        result = await client.call_tool("create_customer", {"name": "Dropped Answer Ltd"})
        assert not result.is_error and "answer was lost" in text_of(result)
        assert await named(kashflow, "Dropped Answer Ltd") == [
            result.structured_content["customer_id"]
        ]  # type: ignore[index]
    assert app.state.faults.counts["InsertCustomer"] == 1


async def test_an_invoice_whose_answer_is_lost_is_found_not_repeated(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Invoice Drop Ltd"))["customer_id"]
        fault(app, "InsertInvoice", drop_after_commit=True)
        created = await client.call_tool(
            "create_invoice", {"customer_id": customer, "lines": LINES}
        )
        assert not created.is_error and "answer was lost" in text_of(created)
        invoices = await kashflow.invoices.for_customer(customer)
        assert [i.InvoiceNumber for i in invoices] == [
            created.structured_content["invoice"]["invoice_number"]  # type: ignore[index]
        ]
    assert app.state.faults.counts["InsertInvoice"] == 1


async def test_a_create_that_never_committed_is_reported_as_not_done(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        fault(app, "InsertCustomer", status=500)
        message = await refused(client, "create_customer", name="Never Made Ltd")
        assert "most likely did not happen" in message and "not re-sent" in message
        assert await named(kashflow, "Never Made Ltd") == []
    assert app.state.faults.counts["InsertCustomer"] == 1


async def test_when_even_the_check_fails_the_outcome_is_reported_unknown(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, _):
        fault(app, "InsertCustomer", drop_after_commit=True)
        fault(app, "GetCustomer", times=-1, status=503, retry_after=0)
        message = await refused(client, "create_customer", name="Unknown Fate Ltd", code="UNK01")
        assert "may or may not have happened" in message and "get_customer(code='UNK01')" in message
    assert app.state.faults.counts["InsertCustomer"] == 1


async def test_an_update_and_a_delete_whose_answers_are_lost_are_confirmed(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Changing Ltd"))["customer_id"]
        fault(app, "UpdateCustomer", drop_after_commit=True)
        updated = await ok(client, "update_customer", customer_id=customer, notes="new note")
        assert updated["customer"]["notes"] == "new note"
        token = (await ok(client, "delete_customer", customer_id=customer))["confirmation_token"]
        fault(app, "DeleteCustomer", drop_after_commit=True)
        deleted = await ok(
            client, "delete_customer", customer_id=customer, confirmation_token=token
        )
        assert deleted["status"] == "deleted" and "answer was lost" in deleted["message"]
        with pytest.raises(NotFoundError):
            await kashflow.customers.get(customer)
    assert app.state.faults.counts["UpdateCustomer"] == 1
    assert app.state.faults.counts["DeleteCustomer"] == 1


FAULTS = st.sampled_from([None, "drop", "500", "503"])
STEPS = st.lists(st.tuples(st.sampled_from(["create", "invoice", "update"]), FAULTS), max_size=6)
_names = itertools.count()


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
async def test_random_writes_under_random_faults_never_duplicate_and_never_lie(
    sandbox: tuple[Starlette, str], tmp_path: Path, steps: list[tuple[str, str | None]]
) -> None:
    app, url = sandbox
    operation = {"create": "InsertCustomer", "invoice": "InsertInvoice", "update": "UpdateCustomer"}
    async with connected(url, tmp_path) as (client, kashflow):
        anchor = (await ok(client, "create_customer", name=f"Anchor {next(_names)}"))["customer_id"]
        for step, kind in steps:
            app.state.faults.clear()
            if kind == "drop":
                fault(app, operation[step], drop_after_commit=True)
            elif kind is not None:
                fault(app, operation[step], status=int(kind))
            name = f"Property {next(_names)}"
            if step == "create":
                result = await client.call_tool("create_customer", {"name": name})
                exists = await named(kashflow, name)
                assert len(exists) <= 1  # never a duplicate
                assert exists == (
                    [] if result.is_error else [result.structured_content["customer_id"]]
                )  # type: ignore[index]
                if result.is_error:
                    said = text_of(result)
                    assert "most likely did not happen" in said or "did not process" in said
            elif step == "invoice":
                before = len(await kashflow.invoices.for_customer(anchor))
                result = await client.call_tool(
                    "create_invoice",
                    {"customer_id": anchor, "lines": LINES, "customer_reference": name},
                )
                after = await kashflow.invoices.for_customer(anchor)
                assert len(after) == before + (0 if result.is_error else 1)
            else:
                result = await client.call_tool(
                    "update_customer", {"customer_id": anchor, "notes": name}
                )
                notes = (await kashflow.customers.get(anchor)).Notes
                assert (notes == name) is (not result.is_error)
        app.state.faults.clear()


async def test_a_lost_invoice_is_not_matched_to_one_another_call_of_ours_made(
    sandbox: tuple[Starlette, str], tmp_path: Path
) -> None:
    """Two identical invoices at once: the first's answer is lost and it made nothing; the
    second's invoice, same content, must not be claimed by the first."""
    app, url = sandbox
    async with connected(url, tmp_path) as (client, kashflow):
        customer = (await ok(client, "create_customer", name="Twin Invoices Ltd"))["customer_id"]
        fault(app, "InsertInvoice", latency=0.5, status=500)  # the first is held, then fails
        arguments = {"customer_id": customer, "lines": LINES}
        async with anyio.create_task_group() as group:
            first: dict[str, Any] = {}

            async def raise_first() -> None:
                result = await client.call_tool("create_invoice", arguments)
                first.update(error=result.is_error, text=text_of(result))

            group.start_soon(raise_first)
            with anyio.fail_after(10):
                while app.state.faults.counts["InsertInvoice"] < 1:
                    await anyio.sleep(0.005)
            second = await ok(client, "create_invoice", **arguments)
        invoices = await kashflow.invoices.for_customer(customer)
    assert [i.InvoiceNumber for i in invoices] == [second["invoice"]["invoice_number"]]
    assert first["error"] and "most likely did not happen" in first["text"]
