"""Clients that can ask their user (MCP elicitation) get the question instead of a token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.types import ElicitRequestParams, ElicitResult

from kashflow_mcp.kashflow import NotFoundError

from .calls import ok
from .conftest import OpenSession

pytestmark = pytest.mark.anyio


class User:
    """Answers the server's questions like a person at the client would."""

    def __init__(self, action: str = "accept", confirm: bool = True, delay: float = 0) -> None:
        self.action, self.confirm, self.delay = action, confirm, delay
        self.questions: list[str] = []

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.questions.append(params.message)
        await anyio.sleep(self.delay)
        content = {"confirm": self.confirm} if self.action == "accept" else None
        return ElicitResult(action=self.action, content=content)  # type: ignore[arg-type]


async def a_customer(client: Any) -> int:
    return int((await ok(client, "create_customer", name="Ask Me Ltd"))["customer_id"])


async def test_a_user_who_agrees_lets_the_delete_happen_in_one_call(
    open_session: OpenSession, tmp_path: Path
) -> None:
    user = User()
    log = tmp_path / "asked.jsonl"
    async with open_session(mode="legacy", elicitation_callback=user, audit_log=log) as (
        client,
        kashflow,
    ):
        customer = await a_customer(client)
        done = await ok(client, "delete_customer", customer_id=customer)
        assert done["status"] == "deleted"
        with pytest.raises(NotFoundError):
            await kashflow.customers.get(customer)
    assert user.questions == [
        f"Permanently delete customer {customer} 'Ask Me Ltd' and its 0 invoice(s)?"
    ]
    assert json.loads(log.read_text().splitlines()[-1])["outcome"] == "done"


@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("cancel", False),
                                                 ("accept", False)])  # fmt: skip
async def test_a_user_who_says_no_stops_it(
    open_session: OpenSession, action: str, confirm: bool
) -> None:
    async with open_session(mode="legacy", elicitation_callback=User(action, confirm)) as (
        client,
        kashflow,
    ):
        customer = await a_customer(client)
        refused = await ok(client, "delete_customer", customer_id=customer)
        assert refused["status"] == "declined" and "confirmation_token" not in refused
        assert await kashflow.customers.get(customer)


async def test_a_client_that_never_answers_gets_a_token_instead(
    open_session: OpenSession,
) -> None:
    silent = User(delay=30)
    async with open_session(mode="legacy", elicitation_callback=silent, ask_timeout=0.3) as (
        client,
        kashflow,
    ):
        customer = await a_customer(client)
        with anyio.fail_after(10):
            held = await ok(client, "delete_customer", customer_id=customer)
        assert held["status"] == "confirmation_required" and held["confirmation_token"]
        assert await kashflow.customers.get(customer)


async def test_waiting_for_the_user_does_not_count_against_the_deadline(
    open_session: OpenSession,
) -> None:
    slow = User(delay=1.0)
    async with open_session(mode="legacy", elicitation_callback=slow, call_deadline=0.8) as (
        client,
        _,
    ):
        customer = await a_customer(client)
        done = await ok(client, "delete_customer", customer_id=customer)
        assert done["status"] == "deleted"


@pytest.mark.parametrize("settings", [{"ask_user": False}, {"mode": "auto"}])
async def test_no_question_when_asking_is_off_or_impossible(
    open_session: OpenSession, settings: dict[str, Any]
) -> None:
    user = User()
    options = {"mode": "legacy", **settings}
    async with open_session(elicitation_callback=user, **options) as (client, _):
        customer = await a_customer(client)
        held = await ok(client, "delete_customer", customer_id=customer)
    assert held["status"] == "confirmation_required" and user.questions == []


async def test_generic_writes_ask_too(open_session: OpenSession) -> None:
    user = User(action="decline", confirm=False)
    async with open_session(mode="legacy", elicitation_callback=user) as (client, kashflow):
        number = (await kashflow.invoices.recent(1))[0].InvoiceNumber
        body = {"InvoiceNumber": number}
        refused = await ok(client, "call_kashflow_api", method="DeleteInvoice", body=body)
        assert await kashflow.invoices.get(number or 0)
    assert refused["status"] == "declined"
    assert user.questions and "DeleteInvoice" in user.questions[0]
    assert f"permanently deletes invoice {number}" in user.questions[0]


async def test_a_record_changed_while_the_user_decides_is_not_deleted(
    open_session: OpenSession,
) -> None:
    """The user agreed to what they were shown: if it changes before the answer comes, the
    delete does not go ahead on the new state."""
    changed: list[int] = []

    async def agree_after_a_change(context: Any, params: ElicitRequestParams) -> ElicitResult:
        invoice = await kashflow.invoices.get(changed[0])  # someone edits it meanwhile
        invoice.CustomerReference = "changed while asking"
        await kashflow.invoices.update(invoice)
        return ElicitResult(action="accept", content={"confirm": True})

    async with open_session(mode="legacy", elicitation_callback=agree_after_a_change) as (
        client,
        kashflow,
    ):
        line = {"description": "Asked about", "rate": "10.00", "vat_rate": "20"}
        created = await ok(client, "create_invoice", customer_id=20001, lines=[line])
        changed.append(created["invoice"]["invoice_number"])
        result = await client.call_tool("delete_invoice", {"invoice_number": changed[0]})
        still = await ok(client, "get_invoice", invoice_number=changed[0])
    assert result.is_error and "changed while the user was deciding" in result.content[0].text
    assert still["customer_reference"] == "changed while asking"
