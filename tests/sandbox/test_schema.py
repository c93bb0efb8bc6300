"""The sandbox's file knows its schema version: older books catch up, newer ones are left alone."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kashflow_mcp.kashflow.wire.records import Invoice, InvoiceLine, Payment
from kashflow_mcp.sandbox import SandboxStore
from kashflow_mcp.sandbox.db.schema import SCHEMA_VERSION, NewerBooks, statements
from kashflow_mcp.sandbox.ledger.accounts import CHART
from kashflow_mcp.sandbox.rules.values import money

from .books import DAY
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


_LEDGER_TRIGGERS = [
    f"{table}_{change}"
    for table in ("invoice", "payment")
    for change in ("added", "changed", "deleted")
]


def as_version_2(path: Path) -> None:
    """The books as the sandbox kept them before its ledger: no entries, a ten-account chart."""
    with closing(sqlite3.connect(path)) as db:
        (chart,) = db.execute("SELECT data FROM reference WHERE kind = 'nominal_codes'").fetchone()
    first_ten = json.dumps(json.loads(chart)[:10])
    rewrite(
        path,
        *(f"DROP TRIGGER {name}" for name in _LEDGER_TRIGGERS),
        "DROP TABLE ledger_entries",
        "DROP TABLE ledger_pending",
        "UPDATE meta SET value = '2' WHERE key = 'schema'",
        "UPDATE meta SET value = '1' WHERE key = 'reference'",
        f"UPDATE reference SET data = '{first_ten}' WHERE kind = 'nominal_codes'",
    )


async def test_books_made_before_the_ledger_are_posted_when_opened(
    make_app: MakeApp, tmp_path: Path
):
    make_app("old.db").state.store.close()
    path = tmp_path / "old.db"
    as_version_2(path)
    # A line the sandbox once let name any nominal (here: materials purchased, id 3113).
    (dbid, data), *_ = rows(path, "SELECT id, data FROM invoices WHERE paid = 0 ORDER BY id")
    invoice = json.loads(data)
    invoice["Lines"][0]["ChargeType"] = 3113
    rewrite(path, f"UPDATE invoices SET data = '{json.dumps(invoice)}' WHERE id = {dbid}")

    async with client_for(make_app("old.db")) as kf:
        ledger = await kf.call(
            "GetTrialBalance", {"StartDate": datetime(1900, 1, 1), "EndDate": datetime(2099, 1, 1)}
        )
        unpaid = await kf.invoices.unpaid()
        codes = {n.Code for n in await kf.reference.nominal_codes()}
        await kf.payments.insert(  # the old line is not refused: it is left as it was
            Payment(PayInvoice=invoice["InvoiceNumber"], PayAmount=Decimal("1"), PayDate=DAY)
        )

    balances = {row["Code"]: row["balance"] for row in ledger}
    assert sum(balances.values()) == 0
    owed = sum(
        (money((i.NetAmount + i.VATAmount - i.AmountPaid) / i.ExchangeRate) for i in unpaid),
        Decimal(0),
    )
    assert balances[1100] == owed
    assert balances[0] < 0  # the old line's net went to "Other"
    assert codes == {account.code for account in CHART}
    assert rows(path, "SELECT value FROM meta WHERE key = 'schema'") == [(str(SCHEMA_VERSION),)]


def test_a_migration_is_split_into_whole_statements_triggers_included():
    script = "CREATE TABLE t (a);\nCREATE TRIGGER x AFTER INSERT ON t BEGIN\n  SELECT 1;\nEND;\n"

    assert statements(script) == [
        "CREATE TABLE t (a);",
        "\nCREATE TRIGGER x AFTER INSERT ON t BEGIN\n  SELECT 1;\nEND;",
    ]
