"""One server, the books of several companies: every call names one, every answer says whose.

Two sandboxes on loopback play two companies (the second's customer 20001 renamed, so the
same id names a different customer in each); the server reads them from an accounts file.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from kashflow_mcp.config import Settings
from kashflow_mcp.connection import open_books
from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.sandbox import FaultRule
from kashflow_mcp.server import build_server

from ..support import sandbox_on_socket
from .calls import ok, refused, text_of

pytestmark = pytest.mark.anyio
CUSTOMER = 20001
PASSWORDS = {"acme": "acme-sandbox-password", "harbour": "harbour-sandbox-password"}
TITLES = {"acme": "Acme Print Ltd", "harbour": "Harbour Lights Cafe Ltd"}


def accounts_file(path: Path, urls: dict[str, str], read_only: set[str] = frozenset()) -> Path:
    tables = []
    for name, url in urls.items():
        tables.append(
            f'[accounts.{name}]\ntitle = "{TITLES[name]}"\nusername = "{name}"\n'
            f'password_env = "{name.upper()}_KASHFLOW_PASSWORD"\napi_url = "{url}"\n'
            + ("read_only = true\n" if name in read_only else "")
        )
    path.write_text("\n".join(tables))
    path.chmod(0o600)
    return path


@pytest.fixture
def companies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Two sandboxes, their apps and URLs; the passwords in the environment, as in production."""
    for name, password in PASSWORDS.items():
        monkeypatch.setenv(f"{name.upper()}_KASHFLOW_PASSWORD", password)
    with ExitStack() as stack:
        served = {
            name: stack.enter_context(
                sandbox_on_socket(tmp_path / f"{name}.db", username=name, password=password)
            )
            for name, password in PASSWORDS.items()
        }
        yield {
            "apps": {n: s[0] for n, s in served.items()},
            "urls": {n: s[1] for n, s in served.items()},
        }


async def rename_harbours_customer(url: str) -> None:
    async with KashFlowClient(username="harbour", password=PASSWORDS["harbour"], url=url) as kf:
        record = await kf.customers.get(CUSTOMER)
        record.Name = "Harbour's Own Customer Ltd"
        await kf.customers.update(record)


@asynccontextmanager
async def practice(
    tmp_path: Path, companies: dict[str, Any], **options: Any
) -> AsyncIterator[Client]:
    read_only = options.pop("read_only_accounts", set())
    path = accounts_file(tmp_path / "accounts.toml", companies["urls"], read_only)
    config = Settings(accounts=path, audit_log=tmp_path / "audit.jsonl", **options)
    books = open_books(config)
    try:
        async with Client(build_server(config, books=books)) as client:
            yield client
    finally:
        for each in books:
            await each.client.aclose()


async def test_every_tool_names_whose_books_and_list_accounts_lists_them(
    tmp_path: Path, companies: dict[str, Any]
) -> None:
    async with practice(tmp_path, companies) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        listed = await ok(client, "list_accounts")
        told = client.instructions or ""
    for name, tool in tools.items():
        schema = tool.input_schema
        if name == "list_accounts":
            assert "account" not in schema.get("properties", {})
            continue
        account = schema["properties"]["account"]
        assert account["enum"] == ["acme", "harbour"] and "account" in schema["required"], name
        assert "acme = Acme Print Ltd" in account["description"], name
        assert "account" in (tool.output_schema or {}).get("properties", {}), name
    assert listed["accounts"] == [
        {"account": "acme", "title": "Acme Print Ltd", "read_only": False},
        {"account": "harbour", "title": "Harbour Lights Cafe Ltd", "read_only": False},
    ]
    assert "several companies" in told


async def test_one_customer_id_gives_each_company_its_own_record(
    tmp_path: Path, companies: dict[str, Any]
) -> None:
    await rename_harbours_customer(companies["urls"]["harbour"])
    async with practice(tmp_path, companies) as client:
        acme = await client.call_tool("get_customer", {"account": "acme", "customer_id": CUSTOMER})
        harbour = await ok(client, "get_customer", account="harbour", customer_id=CUSTOMER)
    assert acme.structured_content["account"] == "acme"
    assert text_of(acme).splitlines()[0] == "account: acme (Acme Print Ltd)"
    assert acme.structured_content["name"] == "Harbourside Coffee Co"
    assert (harbour["account"], harbour["name"]) == ("harbour", "Harbour's Own Customer Ltd")


async def test_a_call_must_name_a_configured_account(
    tmp_path: Path, companies: dict[str, Any]
) -> None:
    async with practice(tmp_path, companies) as client:
        missing = await refused(client, "get_customer", customer_id=CUSTOMER)
        unknown = await refused(client, "get_customer", account="other", customer_id=CUSTOMER)
    assert "account: required, one of acme, harbour" in missing
    assert "account: 'other' is not one of acme, harbour" in unknown


async def test_a_token_minted_for_one_company_is_refused_for_the_other(
    tmp_path: Path, companies: dict[str, Any]
) -> None:
    async with practice(tmp_path, companies) as client:
        number = (await ok(client, "list_invoices", account="acme", customer_id=CUSTOMER))[
            "invoices"
        ][0]["invoice_number"]
        token = (await ok(client, "delete_invoice", account="acme", invoice_number=number))[
            "confirmation_token"
        ]
        message = await refused(
            client,
            "delete_invoice",
            account="harbour",
            invoice_number=number,
            confirmation_token=token,
        )
        still = await ok(client, "get_invoice", account="harbour", invoice_number=number)
    assert message.startswith("account harbour: ")
    assert "issued for account acme's books, not harbour's" in message
    assert still["invoice_number"] == number


async def test_a_write_to_a_read_only_company_is_refused_and_never_sent(
    tmp_path: Path, companies: dict[str, Any]
) -> None:
    async with practice(tmp_path, companies, read_only_accounts={"harbour"}) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        message = await refused(
            client, "update_customer", account="harbour", customer_id=CUSTOMER, notes="no"
        )
        done = await ok(
            client, "update_customer", account="acme", customer_id=CUSTOMER, notes="yes"
        )
    assert "update_customer" in names  # acme can still be written
    assert "account harbour: update_customer changes the books and these books are read-only" in (
        message
    )
    assert companies["apps"]["harbour"].state.faults.counts["UpdateCustomer"] == 0
    assert done["customer"]["notes"] == "yes"


async def test_the_audit_log_names_the_company(tmp_path: Path, companies: dict[str, Any]) -> None:
    async with practice(tmp_path, companies) as client:
        await ok(client, "update_customer", account="harbour", customer_id=CUSTOMER, notes="x")
    lines = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [line["target"]["account"] for line in lines] == ["harbour", "harbour"]


async def test_each_company_has_its_own_lists_and_locks(
    tmp_path: Path, companies: dict[str, Any]
) -> None:
    acme = companies["apps"]["acme"]
    await rename_harbours_customer(companies["urls"]["harbour"])
    async with practice(tmp_path, companies) as client:
        listed = {
            name: (await ok(client, "list_customers", account=name, search="harbour"))["customers"]
            for name in ("acme", "harbour")
        }
        # One company's slow write does not hold up a write to the same id in the other.
        acme.state.faults.add(FaultRule(operation="UpdateCustomer", latency=1.0))
        async with anyio.create_task_group() as group:
            finished: list[str] = []

            async def update(name: str) -> None:
                await ok(client, "update_customer", account=name, customer_id=CUSTOMER, notes=name)
                finished.append(name)

            group.start_soon(update, "acme")
            with anyio.fail_after(10):
                while acme.state.faults.counts["UpdateCustomer"] < 1:
                    await anyio.sleep(0.005)
            await update("harbour")
            assert finished == ["harbour"]  # done while acme's write is still held up
    assert [row["name"] for row in listed["acme"]] == ["Harbourside Coffee Co"]
    assert "Harbour's Own Customer Ltd" in [row["name"] for row in listed["harbour"]]


def test_a_server_of_one_account_is_unchanged(tmp_path: Path) -> None:
    """No account argument, no list_accounts, no account in results: the contract stays."""
    config = Settings(sandbox=True, sandbox_db=tmp_path / "b.db")
    books = open_books(config)
    assert [(b.name, len(books)) for b in books] == [("default", 1)]
    tools = anyio.run(_listed, config, books)
    assert "list_accounts" not in tools
    assert all("account" not in schema.get("properties", {}) for schema in tools.values())


async def _listed(config: Settings, books: list[Any]) -> dict[str, dict]:  # type: ignore[type-arg]
    try:
        async with Client(build_server(config, books=books)) as client:
            return {tool.name: tool.input_schema for tool in (await client.list_tools()).tools}
    finally:
        await books[0].client.aclose()


def test_a_missing_password_variable_stops_start_up(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = accounts_file(tmp_path / "accounts.toml", {"acme": "http://127.0.0.1:9/api"})
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KASHFLOW", "ACME"))}
    done = subprocess.run(
        [sys.executable, "-m", "kashflow_mcp", "serve", "--accounts", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"kashflow-mcp: {path}: account 'acme': the environment variable "
        "ACME_KASHFLOW_PASSWORD (password_env) is not set"
    ]


def test_doctor_checks_every_account_on_a_line_of_its_own(
    tmp_path: Path, companies: dict[str, Any]
) -> None:
    import subprocess
    import sys

    path = accounts_file(tmp_path / "accounts.toml", companies["urls"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("KASHFLOW")}
    env["HARBOUR_KASHFLOW_PASSWORD"] = "not-harbours-password"
    done = subprocess.run(
        [sys.executable, "-m", "kashflow_mcp", "doctor", "--accounts", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    assert lines[0].startswith("acme (Acme Print Ltd): OK: signed in; company: ")
    assert lines[1].startswith("harbour (Harbour Lights Cafe Ltd): FAILED: credentials rejected")
    assert len(lines) == 2 and "not-harbours-password" not in done.stdout + done.stderr


async def test_the_sandbox_plays_two_companies_as_two_accounts(tmp_path: Path) -> None:
    config = Settings(
        sandbox=True,
        sandbox_db=tmp_path / "books.db",
        sandbox_companies=2,
        audit_log=tmp_path / "audit.jsonl",
    )
    books = open_books(config)
    try:
        async with Client(build_server(config, books=books)) as client:
            listed = await ok(client, "list_accounts")
            names = {
                row["account"]: (await ok(client, "list_customers", account=row["account"]))
                for row in listed["accounts"]
            }
    finally:
        for each in books:
            await each.client.aclose()
    assert [row["account"] for row in listed["accounts"]] == ["kestrel", "harbour"]
    assert sorted(p.name for p in tmp_path.glob("books-*.db")) == [
        "books-harbour.db",
        "books-kestrel.db",
    ]
    kestrel = {row["name"] for row in names["kestrel"]["customers"]}
    harbour = {row["name"] for row in names["harbour"]["customers"]}
    assert kestrel and harbour and not kestrel & harbour


def test_asking_for_more_demo_companies_than_there_are_says_how_many(tmp_path: Path) -> None:
    from kashflow_mcp.connection import CannotConnect

    with pytest.raises(CannotConnect, match="plays 2 demo companies \\(kestrel, harbour\\), not 3"):
        open_books(Settings(sandbox=True, sandbox_db=tmp_path / "b.db", sandbox_companies=3))
