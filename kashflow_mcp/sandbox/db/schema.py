"""The layout of the sandbox's SQLite file, and how books made by an older sandbox catch up.

The file records its schema version in ``meta``. Each migration takes the books from the
version before it to its own; opening a file runs the ones it has not had, in the transaction
that opens it, so a file is never left half-migrated (a new file runs them all). A change to
the layout is a new migration at the end: one that has shipped is never edited, since books
out there have already run it.

Ids come from named sequences and are never reused; each kind of id lives in its own range
(customers 20001…, invoices 350001…, lines 7000001…, payments 810001…, notes 930001…) so a
test mixing them up fails instead of passing by luck.
"""

from __future__ import annotations

import sqlite3

_TABLES = """
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reference (kind TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    postcode TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_by_email ON customers (email);
CREATE INDEX IF NOT EXISTS customers_by_postcode ON customers (postcode);
CREATE TABLE IF NOT EXISTS invoices (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL,
    invoice_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    paid INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS invoices_by_customer ON invoices (customer_id);
CREATE INDEX IF NOT EXISTS invoices_by_date ON invoices (invoice_date);
CREATE INDEX IF NOT EXISTS invoices_by_due ON invoices (paid, due_date);
CREATE TABLE IF NOT EXISTS payments (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_by_invoice ON payments (invoice_id);
INSERT OR IGNORE INTO sequences (name, value) VALUES
    ('customer', 20000), ('invoice', 350000), ('line', 7000000), ('payment', 810000);
"""

# Invoice numbers are never issued twice, not even once the newest invoice is deleted: the
# books remember the highest number issued so far (the highest they hold, for older books).
_INVOICE_NUMBER_SEQUENCE = """
INSERT OR IGNORE INTO sequences (name, value)
    SELECT 'invoice_number', coalesce(max(number), 0) FROM invoices;
"""

# Payments go to a bank account (GetBankAccounts): books made before the sandbox kept any get
# the two a new account starts with, and the deposit account's nominal code.
_BANK_ACCOUNTS = """
INSERT OR IGNORE INTO reference (kind, data) VALUES ('bank_accounts',
    '[{"AccountID":1,"AccountName":"Current Account","AccountCode":1200},'
    || '{"AccountID":2,"AccountName":"Deposit Account","AccountCode":1210}]');
UPDATE reference SET data = json_insert(data, '$[#]', json(
    '{"id":3117,"Code":1210,"Name":"Bank deposit account","debit":"0","credit":"0","balance":"0"}'))
    WHERE kind = 'nominal_codes' AND NOT EXISTS
    (SELECT 1 FROM json_each(reference.data) WHERE json_extract(value, '$.Code') = 1210);
"""

# Notes on invoices, and which pair of payments each credit note's application made: applying
# a credit note records a payment on the invoice and the opposite one on the credit note, and
# the books must be able to undo both halves together.
_NOTES_AND_CREDIT_APPLICATIONS = """
CREATE TABLE IF NOT EXISTS invoice_notes (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS invoice_notes_by_invoice ON invoice_notes (invoice_id);
CREATE TABLE IF NOT EXISTS credit_applications (
    id INTEGER PRIMARY KEY,
    credit_note_id INTEGER NOT NULL,
    invoice_id INTEGER NOT NULL,
    credit_payment_id INTEGER NOT NULL,
    invoice_payment_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS credit_applications_by_note ON credit_applications (credit_note_id);
CREATE INDEX IF NOT EXISTS credit_applications_by_invoice ON credit_applications (invoice_id);
INSERT OR IGNORE INTO sequences (name, value) VALUES ('note', 930000);
"""

# EmailInvoice sends nothing: what it would have sent is kept here (shown at /_sandbox/outbox).
_OUTBOX = """
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL);
"""

# The books' entries (see ``ledger``), and the triggers that note every document whose rows
# change, however they change, so that it is posted again before the transaction commits.
# Books made before have every document noted, so they are posted as they are opened.
_LEDGER = """
CREATE TABLE IF NOT EXISTS ledger_entries (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    payment_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    entry_date TEXT NOT NULL,
    nominal_id INTEGER NOT NULL,
    pence INTEGER NOT NULL,
    role TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    narrative TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_by_invoice ON ledger_entries (invoice_id);
CREATE INDEX IF NOT EXISTS ledger_by_nominal ON ledger_entries (nominal_id, entry_date);
CREATE INDEX IF NOT EXISTS ledger_by_customer ON ledger_entries (customer_id, nominal_id);
CREATE TABLE IF NOT EXISTS ledger_pending (invoice_id INTEGER PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS invoice_added AFTER INSERT ON invoices BEGIN
    INSERT OR IGNORE INTO ledger_pending VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS invoice_changed AFTER UPDATE ON invoices BEGIN
    INSERT OR IGNORE INTO ledger_pending VALUES (OLD.id);
    INSERT OR IGNORE INTO ledger_pending VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS invoice_deleted AFTER DELETE ON invoices BEGIN
    INSERT OR IGNORE INTO ledger_pending VALUES (OLD.id);
END;
CREATE TRIGGER IF NOT EXISTS payment_added AFTER INSERT ON payments BEGIN
    INSERT OR IGNORE INTO ledger_pending VALUES (NEW.invoice_id);
END;
CREATE TRIGGER IF NOT EXISTS payment_changed AFTER UPDATE ON payments BEGIN
    INSERT OR IGNORE INTO ledger_pending VALUES (OLD.invoice_id);
    INSERT OR IGNORE INTO ledger_pending VALUES (NEW.invoice_id);
END;
CREATE TRIGGER IF NOT EXISTS payment_deleted AFTER DELETE ON payments BEGIN
    INSERT OR IGNORE INTO ledger_pending VALUES (OLD.invoice_id);
END;
INSERT OR IGNORE INTO ledger_pending SELECT id FROM invoices;
"""

MIGRATIONS: tuple[str, ...] = (
    _TABLES,
    _INVOICE_NUMBER_SEQUENCE,
    _BANK_ACCOUNTS,
    _NOTES_AND_CREDIT_APPLICATIONS,
    _OUTBOX,
    _LEDGER,
)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerBooks(Exception):
    """The file was made by a newer sandbox, whose layout this one does not know."""


def schema_version(db: sqlite3.Connection) -> int:
    """The version the file's books are at; 0 for a new file."""
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return int(row[0]) if row else 0


def statements(script: str) -> list[str]:
    """A script's statements, whole: a trigger's body holds semicolons of its own."""
    found, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                found.append(pending)
            pending = ""
    if pending.strip(" \n;"):
        raise ValueError(f"incomplete statement in a migration: {pending!r}")
    return found


def migrate(db: sqlite3.Connection, path: str) -> None:
    """Bring the books up to ``SCHEMA_VERSION``; call inside a write transaction."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise NewerBooks(
            f"{path} holds books of schema version {found}, made by a newer KashFlow sandbox; "
            f"this one reads up to version {SCHEMA_VERSION}: upgrade kashflow-mcp to open it"
        )
    for migration in MIGRATIONS[found:]:
        for statement in statements(migration):
            db.execute(statement)
    if found < SCHEMA_VERSION:
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
        )
