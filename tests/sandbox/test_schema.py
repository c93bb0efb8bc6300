"""The sandbox's file knows its schema version: older books catch up, newer ones are left alone."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kashflow_mcp.kashflow.wire.records import Invoice, InvoiceLine
from kashflow_mcp.sandbox import SandboxStore
from kashflow_mcp.sandbox.db.schema import SCHEMA_VERSION, NewerBooks

from .conftest import MakeApp, client_for

pytestmark = pytest.mark.anyio


def rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def rewrite(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        for statement in statements:
            db.execute(statement)


def test_a_new_file_is_made_at_the_current_version(tmp_path: Path):
    SandboxStore(tmp_path / "new.db").close()

    assert rows(tmp_path / "new.db", "SELECT value FROM meta WHERE key = 'schema'") == [
        (str(SCHEMA_VERSION),)
    ]
    sequences = dict(rows(tmp_path / "new.db", "SELECT name, value FROM sequences"))
    assert sequences == {
        "customer": 20000,
        "invoice": 350000,
        "line": 7000000,
        "payment": 810000,
        "invoice_number": 0,
        "note": 930000,
    }


async def test_books_of_version_1_get_the_invoice_number_sequence(
    make_app: MakeApp, tmp_path: Path
):
    make_app("old.db").state.store.close()  # the demo's books...
    path = tmp_path / "old.db"
    (highest,) = rows(path, "SELECT max(number) FROM invoices")[0]
    rewrite(  # ... as the first sandbox kept them, before it counted invoice numbers
        path,
        "DELETE FROM sequences WHERE name = 'invoice_number'",
        "UPDATE meta SET value = '1' WHERE key = 'schema'",
    )

    async with client_for(make_app("old.db")) as kf:
        customer = (await kf.customers.all())[0].CustomerID
        line = InvoiceLine(Description="After the upgrade", Quantity=Decimal(1), Rate=Decimal(5))
        number = await kf.invoices.insert(
            Invoice(CustomerID=customer, InvoiceDate=datetime(2025, 6, 1), Lines=[line])
        )

    assert number == highest + 1
    assert rows(path, "SELECT value FROM sequences WHERE name = 'invoice_number'") == [(number,)]
    assert rows(path, "SELECT value FROM meta WHERE key = 'schema'") == [(str(SCHEMA_VERSION),)]


async def test_books_of_version_2_get_the_bank_accounts_payments_go_to(
    make_app: MakeApp, tmp_path: Path
):
    make_app("old.db").state.store.close()
    path = tmp_path / "old.db"
    rewrite(  # the demo's books as a sandbox kept them before it had bank accounts
        path,
        "DELETE FROM reference WHERE kind = 'bank_accounts'",
        "UPDATE reference SET data = (SELECT json_group_array(json(value)) FROM json_each(data) "
        "WHERE json_extract(value, '$.Code') != 1210) WHERE kind = 'nominal_codes'",
        "UPDATE meta SET value = '2' WHERE key = 'schema'",
    )
    assert 1210 not in {code for (code,) in rows(path, _NOMINAL_CODES)}

    async with client_for(make_app("old.db")) as kf:
        accounts = [(a.AccountID, a.AccountCode) for a in await kf.bank.accounts()]
        paid_into = {
            p.PayAccount
            for i in await kf.invoices.recent(500)
            for p in await kf.payments.for_invoice(i.InvoiceNumber or 0)
        }

    assert accounts == [(1, 1200), (2, 1210)]
    assert paid_into == {1}  # the demo's payments are in the current account
    assert [code for (code,) in rows(path, _NOMINAL_CODES)].count(1210) == 1


_NOMINAL_CODES = (
    "SELECT json_extract(value, '$.Code') FROM reference, json_each(reference.data) "
    "WHERE kind = 'nominal_codes'"
)


def test_books_made_by_a_newer_sandbox_are_not_opened(tmp_path: Path):
    path = tmp_path / "newer.db"
    SandboxStore(path).close()
    newer = str(SCHEMA_VERSION + 1)
    rewrite(path, f"UPDATE meta SET value = '{newer}' WHERE key = 'schema'")

    with pytest.raises(NewerBooks, match=f"schema version {newer}.*upgrade kashflow-mcp"):
        SandboxStore(path)

    assert rows(path, "SELECT value FROM meta WHERE key = 'schema'") == [(newer,)]
