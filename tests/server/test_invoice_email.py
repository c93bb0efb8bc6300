"""email_invoice through the MCP client against the sandbox (whose outbox shows what was sent).

Never offered by default; offered once the operator allows EmailInvoice; always confirmed, by a
token bound to the exact message and the invoice as it is, or by the user's own answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.types import ElicitRequestParams, ElicitResult

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_client
from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.sandbox import FaultRule, create_app
from kashflow_mcp.server import ConfigurationError, build_server, select_tools

from ..support import serve_in_thread
from .calls import ok, refused, text_of
from .conftest import OpenSession

pytestmark = pytest.mark.anyio
ALLOWED = {"allow_operations": ["EmailInvoice"]}
MAIL = {
    "to": "accounts@harbourside.example, ellie@harbourside.example",
    "subject": "Invoice from Kestrel Print & Design",
    "body": "Dear Ellie,\n\nPlease find your invoice attached.\n\nKestrel",
}


async def outbox(kashflow: KashFlowClient) -> list[dict[str, Any]]:
    app = kashflow.transport.app  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        return (await http.get("http://sandbox.test/_sandbox/outbox")).json()  # type: ignore[no-any-return]


def sent_count(kashflow: KashFlowClient) -> int:
    return kashflow.transport.app.state.faults.counts["EmailInvoice"]  # type: ignore[attr-defined,no-any-return]


async def an_invoice(kashflow: KashFlowClient) -> int:
    return int((await kashflow.invoices.for_customer(20001))[0].InvoiceNumber or 0)


async def names(client: Client) -> set[str]:
    return {tool.name for tool in (await client.list_tools()).tools}


async def held(client: Client, **arguments: Any) -> dict[str, Any]:
    preview = await ok(client, "email_invoice", **arguments)
    assert preview["status"] == "confirmation_required", preview
    return preview


# --------------------------------------------------------------------------- offered or not


async def test_never_offered_unless_the_operator_allows_emailinvoice(
    open_session: OpenSession,
) -> None:
    async with open_session(toolsets=["all"]) as (client, kashflow):
        assert "email_invoice" not in await names(client)
        result = await client.call_tool("email_invoice", {"invoice_number": 1001, **MAIL})
        assert result.is_error
    async with open_session(**ALLOWED) as (client, _):
        assert "email_invoice" in await names(client)
    assert sent_count(kashflow) == 0


def test_naming_it_without_the_allowance_stops_start_up_saying_what_to_add() -> None:
    with pytest.raises(ConfigurationError) as stopped:
        select_tools(Settings(tools=["email_invoice"]))
    assert str(stopped.value) == (
        "email_invoice is offered only when the operator allows EmailInvoice; add "
        "--allow-operation EmailInvoice (KASHFLOW_ALLOW_OPERATIONS)"
    )
    chosen = select_tools(Settings(tools=["email_invoice"], **ALLOWED))
    assert [spec.name for spec in chosen] == ["email_invoice"]
    excluded = select_tools(Settings(exclude_tools=["email_invoice"], **ALLOWED))
    assert "email_invoice" not in {spec.name for spec in excluded}


# --------------------------------------------------------------------------- confirmation


async def test_the_preview_shows_recipient_subject_and_body_and_sends_nothing(
    open_session: OpenSession,
) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        result = await client.call_tool("email_invoice", {"invoice_number": number, **MAIL})
        kept = await outbox(kashflow)
    preview = (result.structured_content or {})["preview"]
    assert (preview["invoice_number"], preview["customer_id"]) == (number, 20001)
    assert preview["customer_name"] == "Harbourside Coffee Co"
    assert (preview["to"], preview["subject"], preview["body"]) == (
        MAIL["to"],
        MAIL["subject"],
        MAIL["body"],
    )
    assert (preview["from_name"], preview["from_email"]) == (
        "Kestrel Print & Design Ltd",
        "accounts@kestrel-print.example",
    )
    text = text_of(result)
    token = (result.structured_content or {})["confirmation_token"]
    for shown in (token, MAIL["to"], MAIL["subject"], "Please find your invoice attached."):
        assert shown in text
    assert kept == [] and sent_count(kashflow) == 0


async def test_repeating_the_call_with_its_token_sends_it_once(open_session: OpenSession) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        preview = await held(client, invoice_number=number, **MAIL)
        token = preview["confirmation_token"]
        done = await ok(
            client, "email_invoice", invoice_number=number, confirmation_token=token, **MAIL
        )
        again = await refused(
            client, "email_invoice", invoice_number=number, confirmation_token=token, **MAIL
        )
        kept = await outbox(kashflow)
    assert done["status"] == "sent" and done["message"].startswith(f"Emailed invoice {number}")
    assert "used" in again or "expired" in again or "invalid" in again
    assert len(kept) == 1 and sent_count(kashflow) == 1
    message = kept[0]
    assert message["invoice_number"] == number
    assert message["to"] == ["accounts@harbourside.example", "ellie@harbourside.example"]
    assert (message["subject"], message["body"]) == (MAIL["subject"], MAIL["body"])
    assert message["from_email"] == "accounts@kestrel-print.example"


@pytest.mark.parametrize(
    "changed",
    [{"subject": "Something else"}, {"to": "someone@else.example"}, {"body": "Other words."}],
    ids=["subject", "to", "body"],
)
async def test_a_token_sends_only_the_message_it_was_minted_for(
    open_session: OpenSession, changed: dict[str, str]
) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        token = (await held(client, invoice_number=number, **MAIL))["confirmation_token"]
        other = {**MAIL, **changed}
        await refused(
            client, "email_invoice", invoice_number=number, confirmation_token=token, **other
        )
        kept = await outbox(kashflow)
    assert kept == [] and sent_count(kashflow) == 0


async def test_a_token_is_void_once_the_invoice_changed(open_session: OpenSession) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        token = (await held(client, invoice_number=number, **MAIL))["confirmation_token"]
        await ok(client, "update_invoice", invoice_number=number, customer_reference="PO-CHANGED")
        message = await refused(
            client, "email_invoice", invoice_number=number, confirmation_token=token, **MAIL
        )
        kept = await outbox(kashflow)
    assert "confirmation" in message.lower() or "changed" in message
    assert kept == []


class User:
    def __init__(self, confirm: bool) -> None:
        self.confirm = confirm
        self.questions: list[str] = []

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.questions.append(params.message)
        return ElicitResult(action="accept", content={"confirm": self.confirm})


@pytest.mark.parametrize("agrees", [True, False])
async def test_a_user_who_is_asked_sees_the_whole_message_first(
    open_session: OpenSession, agrees: bool
) -> None:
    user = User(agrees)
    async with open_session(mode="legacy", elicitation_callback=user, **ALLOWED) as (
        client,
        kashflow,
    ):
        number = await an_invoice(kashflow)
        answer = await ok(client, "email_invoice", invoice_number=number, **MAIL)
        kept = await outbox(kashflow)
    assert answer["status"] == ("sent" if agrees else "declined")
    assert "confirmation_token" not in answer
    assert len(kept) == (1 if agrees else 0)
    (question,) = user.questions
    assert question.startswith(f"Email invoice {number} (")
    for part in (MAIL["to"], MAIL["subject"], MAIL["body"]):
        assert part in question


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "to",
    ["not-an-address", "a@b.example; c@d.example", "a@b.example,", "a@nodot", ""],
    ids=["no-at", "semicolon", "trailing-comma", "no-domain-dot", "blank"],
)
async def test_addresses_that_are_not_addresses_are_refused_naming_to(
    open_session: OpenSession, to: str
) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        message = await refused(client, "email_invoice", invoice_number=1001, **{**MAIL, "to": to})
    assert "to: " in message and sent_count(kashflow) == 0


async def test_a_missing_invoice_is_named_before_any_token(open_session: OpenSession) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        message = await refused(client, "email_invoice", invoice_number=999999, **MAIL)
    assert "No invoice number 999999" in message and "token" not in message
    assert sent_count(kashflow) == 0


# --------------------------------------------------------------------------- faults


async def confirm(client: Client, kashflow: KashFlowClient, rule: FaultRule | None = None) -> Any:
    number = await an_invoice(kashflow)
    token = (await held(client, invoice_number=number, **MAIL))["confirmation_token"]
    if rule is not None:
        kashflow.transport.app.state.faults.add(rule)  # type: ignore[attr-defined]
    arguments = {"invoice_number": number, "confirmation_token": token, **MAIL}
    return await client.call_tool("email_invoice", arguments)


async def test_a_lost_answer_is_reported_unknown_and_never_sent_again(tmp_path: Path) -> None:
    """On a real socket, so that "commit, then drop the connection" really drops it."""
    user, password = "bookkeeper", "pa55word"
    app = create_app(tmp_path / "books.db", username=user, password=password)
    try:
        with serve_in_thread(app) as url:
            config = Settings(
                username=user,
                password=password,
                api_url=f"{url}/api/service.asmx",
                audit_log=tmp_path / "audit.jsonl",
                **ALLOWED,
            )
            kashflow = open_client(config)
            try:
                async with Client(build_server(config, kashflow)) as client:
                    number = await an_invoice(kashflow)
                    preview = await held(client, invoice_number=number, **MAIL)
                    app.state.faults.add(
                        FaultRule(operation="EmailInvoice", drop_after_commit=True)
                    )
                    arguments = {"invoice_number": number, **MAIL}
                    token = preview["confirmation_token"]
                    result = await client.call_tool(
                        "email_invoice", {**arguments, "confirmation_token": token}
                    )
                async with httpx.AsyncClient() as http:
                    kept = (await http.get(f"{url}/_sandbox/outbox")).json()
            finally:
                await kashflow.aclose()
        sent = app.state.faults.counts["EmailInvoice"]
    finally:
        app.state.store.close()
    text = text_of(result)
    assert result.is_error and "was lost" in text and "not re-sent" in text
    assert MAIL["to"] in text  # whom to ask
    assert len(kept) == 1 and sent == 1  # it went, once


async def test_a_busy_kashflow_sent_nothing_and_is_not_asked_twice(
    open_session: OpenSession,
) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        rule = FaultRule(operation="EmailInvoice", status=429, retry_after=0)
        result = await confirm(client, kashflow, rule)
        kept = await outbox(kashflow)
    assert result.is_error and "busy" in text_of(result)
    assert kept == [] and sent_count(kashflow) == 1


async def test_a_call_out_of_time_says_it_may_have_gone_and_is_not_repeated(
    open_session: OpenSession,
) -> None:
    async with open_session(call_deadline=1.0, **ALLOWED) as (client, kashflow):
        rule = FaultRule(operation="EmailInvoice", latency=3.0)
        result = await confirm(client, kashflow, rule)
        await anyio.sleep(0)  # let the abandoned request settle
    assert result.is_error and "may" in text_of(result)
    assert sent_count(kashflow) == 1


async def test_one_token_used_twice_at_once_sends_one_email(open_session: OpenSession) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        token = (await held(client, invoice_number=number, **MAIL))["confirmation_token"]
        kashflow.transport.app.state.faults.add(  # type: ignore[attr-defined]
            FaultRule(operation="EmailInvoice", latency=0.2, times=-1)
        )
        arguments = {"invoice_number": number, "confirmation_token": token, **MAIL}
        results: list[Any] = []

        async def send() -> None:
            results.append(await client.call_tool("email_invoice", arguments))

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                group.start_soon(send)
                group.start_soon(send)
        kept = await outbox(kashflow)
    assert sorted(result.is_error for result in results) == [False, True]
    assert len(kept) == 1 and sent_count(kashflow) == 1


async def test_two_emails_of_one_invoice_at_once_both_go_one_after_the_other(
    open_session: OpenSession,
) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        first = {**MAIL, "subject": "First"}
        second = {**MAIL, "subject": "Second"}
        tokens = [
            (await held(client, invoice_number=number, **mail))["confirmation_token"]
            for mail in (first, second)
        ]
        kashflow.transport.app.state.faults.add(  # type: ignore[attr-defined]
            FaultRule(operation="EmailInvoice", latency=0.2, times=-1)
        )
        done: list[dict[str, Any]] = []

        async def send(mail: dict[str, str], token: str) -> None:
            done.append(
                await ok(
                    client, "email_invoice", invoice_number=number, confirmation_token=token, **mail
                )
            )

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                group.start_soon(send, first, tokens[0])
                group.start_soon(send, second, tokens[1])
        kept = await outbox(kashflow)
    assert [d["status"] for d in done] == ["sent", "sent"]
    assert sorted(message["subject"] for message in kept) == ["First", "Second"]


async def test_a_change_to_the_invoice_waits_while_it_is_being_emailed(
    open_session: OpenSession,
) -> None:
    """The email is sent under the invoice's lock: what goes out is what the user approved."""
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        token = (await held(client, invoice_number=number, **MAIL))["confirmation_token"]
        kashflow.transport.app.state.faults.add(  # type: ignore[attr-defined]
            FaultRule(operation="EmailInvoice", latency=1.0)
        )
        finished: list[str] = []

        async def email() -> None:
            arguments = {"invoice_number": number, "confirmation_token": token, **MAIL}
            await ok(client, "email_invoice", **arguments)
            finished.append("email")

        async def change() -> None:
            await anyio.sleep(0.3)  # while the email is on its way
            await ok(client, "update_invoice", invoice_number=number, customer_reference="LATER")
            finished.append("update")

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                group.start_soon(email)
                group.start_soon(change)
    assert finished == ["email", "update"]


# --------------------------------------------------------------------------- the generic call


async def test_the_generic_call_sends_an_allowed_emailinvoice_only_once_confirmed(
    open_session: OpenSession,
) -> None:
    async with open_session(**ALLOWED) as (client, kashflow):
        number = await an_invoice(kashflow)
        body = {
            "InvoiceNumber": number,
            "FromEmail": "studio@kestrel.example",
            "FromName": "Kestrel",
            "SubjectLine": MAIL["subject"],
            "Body": MAIL["body"],
            "RecipientEmail": "accounts@harbourside.example",
        }
        first = await ok(client, "call_kashflow_api", method="EmailInvoice", body=body)
        before = await outbox(kashflow)
        token = first["confirmation_token"]
        await ok(
            client, "call_kashflow_api", method="EmailInvoice", body=body, confirmation_token=token
        )
        kept = await outbox(kashflow)
    assert first["status"] == "confirmation_required" and before == []
    assert f"emails invoice {number}" in first["message"]  # the invoice it sends is shown
    assert [m["to"] for m in kept] == [["accounts@harbourside.example"]]


async def test_with_email_invoice_turned_off_the_generic_call_will_not_email_either(
    open_session: OpenSession,
) -> None:
    async with open_session(exclude_tools=["email_invoice"], **ALLOWED) as (client, kashflow):
        body = {"InvoiceNumber": await an_invoice(kashflow), "RecipientEmail": "a@b.example"}
        message = await refused(client, "call_kashflow_api", method="EmailInvoice", body=body)
    assert "email_invoice" in message and "turned email_invoice off" in message
    assert sent_count(kashflow) == 0
