"""Reading the records a call_kashflow_api write or delete acts on, and describing them.

The lookups come from ``targets``. A record that is not there refuses the call before any
preview; what is found is described as the first-class tools do (what it is, its number, its
party, its amount and status) and fingerprinted, so a token minted on it no longer works once
it changes.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ...kashflow import NotFoundError, Operation
from ...kashflow.wire import records as wire
from ...schemas.values import clean_text
from ..base import RecordKey, ToolEnv, ToolFailure
from ..core.convert import to_date
from ..documents import status as invoice_status
from .targets import TARGETS, Dependents, Lookup, RecordKind, Target

Record = dict[str, Any]
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Found:
    kind: RecordKind
    record: Record
    line: Record | None = None
    dependents: list[tuple[Dependents, list[Record]]] = field(default_factory=list)


async def fetch_targets(env: ToolEnv, op: Operation, body: dict[str, Any]) -> list[Found]:
    """Every existing record ``op`` would act on, read now; a missing one refuses the call."""
    found: list[Found] = []
    for target in TARGETS.get(op.name, ()):
        lookups = [lookup for lookup in target.lookups if _given(_value_at(body, lookup.key))]
        if not lookups:
            if target.new_when_absent:
                continue  # a new record: nothing exists yet to read or bind
            keys = " or ".join(f"body.{lookup.key}" for lookup in target.lookups)
            raise ToolFailure(f"{keys}: required, to find the {target.kind.name}.")
        records = [await _read(env, target.kind, lookup, body) for lookup in lookups]
        ids = {record.get(target.kind.id) for record in records}
        if len(ids) > 1:
            keys = " and ".join(f"body.{lookup.key}" for lookup in lookups)
            raise ToolFailure(f"{keys} name different {target.kind.name}s; give one of them.")
        found.append(await _complete(env, target, records[0], body))
    return found


async def _read(env: ToolEnv, kind: RecordKind, lookup: Lookup, body: dict[str, Any]) -> Record:
    key = _value_at(body, lookup.key)
    if lookup.match is None:
        candidates = [await _call(env, lookup.read, {lookup.param or "": key})]
    elif lookup.each is not None:
        scopes = [row.get(lookup.each[1]) for row in await _rows(env, lookup.each[0], {})]
        candidates = [
            row for scope in scopes for row in await _rows(env, lookup.read, {lookup.param: scope})
        ]
    elif lookup.scope is not None:
        candidates = await _rows(env, lookup.read, {lookup.param: _value_at(body, lookup.scope)})
    else:
        candidates = await _rows(env, lookup.read, {})
    for record in candidates:
        if (
            isinstance(record, dict)
            and record.get(kind.id)
            and (lookup.match is None or record.get(lookup.match) == key)
        ):
            return record
    raise ToolFailure(
        f"body.{lookup.key}: no {kind.name} {key} in KashFlow ({lookup.read} found none), so "
        "nothing was previewed or sent."
    )


async def _call(env: ToolEnv, read: str, params: dict[str, Any]) -> Any:
    try:
        return await env.client.call(read, params)
    except NotFoundError:
        return None


async def _rows(env: ToolEnv, read: str, params: dict[str | None, Any]) -> list[Any]:
    named = {name: value for name, value in params.items() if name is not None}
    return list(await _call(env, read, named) or [])


async def _complete(env: ToolEnv, target: Target, record: Record, body: dict[str, Any]) -> Found:
    line = None
    if target.line is not None:
        line_id = _value_at(body, target.line)
        line = next((li for li in record.get("Lines") or () if _line_id(li) == line_id), None)
        if line is None:
            number = record.get(target.kind.number)
            raise ToolFailure(
                f"body.{target.line}: {target.kind.name} {number} has no line {line_id}, so "
                "nothing was previewed or sent."
            )
    dependents = []
    for group in target.dependents:
        if env.offered_operations is None or group.read in env.offered_operations:
            rows = await _rows(env, group.read, {group.param: record.get(group.field)})
            dependents.append((group, rows))
    return Found(target.kind, record, line, dependents)


def _value_at(body: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted body path, or None."""
    value: Any = body
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _given(value: Any) -> bool:
    """Whether a key was given: 0 and blanks are KashFlow's "none"."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != 0 and not isinstance(value, bool)


def _line_id(line: Any) -> Any:
    return line.get("LineID") if isinstance(line, dict) else None


def lock_keys(found: Found) -> list[RecordKey]:
    """The write locks a call on ``found`` takes: keyed as the first-class tools key them
    (invoices by number, customers by id), with what goes with the record (a customer's
    invoices, say)."""
    keys = [_key(found.kind, found.record)]
    for group, rows in found.dependents:
        keys.extend(_key(group.kind, row) for row in rows if isinstance(row, dict))
    return keys


def owner_keys(op: Operation, body: Mapping[str, Any], found: list[Found]) -> tuple[RecordKey, ...]:
    """The parties whose documents a call adds to or moves between, held shared while it acts
    (as create_invoice holds its customer): the documents found, and any document in the body.
    So no such write lands in the middle of a confirmed delete of the party."""
    party = "supplier" if "Receipt" in op.name else "customer"
    owners = {
        (f.kind.party, f.record.get("CustomerID") or 0) for f in found if f.kind.party is not None
    }
    for name, kind in op.params:
        sent = body.get(name)
        if kind in ("Invoice", "Invoice_TypeDefined") and isinstance(sent, Mapping):
            party_id = sent.get("CustomerID")
            if isinstance(party_id, int):  # (checked a whole number by the body checks)
                owners.add((party, party_id))
    return tuple(sorted((k, i) for k, i in owners if i))


def _key(kind: RecordKind, record: Record) -> RecordKey:
    if kind.type == "Invoice" and kind.name == "invoice":
        return ("invoice", record.get("InvoiceNumber") or 0)
    return (kind.name, record.get(kind.id) or 0)


def state_of(found: list[Found]) -> str:
    """A fingerprint of everything the call acts on: any change to it voids a token."""
    state = [[f.record, f.line, [rows for _, rows in f.dependents]] for f in found]
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


# --------------------------------------------------------------------------- describing


def _text(value: Any) -> str:
    """A value from KashFlow as data: text cleaned of hidden characters and always quoted."""
    if isinstance(value, str):
        return json.dumps(clean_text(value), ensure_ascii=False)
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return str(to_date(value) or value)
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def describe(found: Found) -> tuple[str, dict[str, Any]]:
    """What the record is, in words for the preview and as data for structuredContent."""
    kind, record = found.kind, found.record
    summary: dict[str, Any] = {"kind": kind.name, kind.number: record.get(kind.number)}
    summary[kind.id] = record.get(kind.id)
    if kind.party is not None:
        words = _document(kind, wire.Invoice.model_validate(record), summary)
    else:
        summary.update({name: _plain(record.get(name)) for name in kind.shows})
        shown = [f"{name} {_text(record[name])}" for name in kind.shows if record.get(name)]
        words = f"{kind.name} {_text(record.get(kind.number))}"
        if kind.id != kind.number:
            words += f" (id {record.get(kind.id)})"
        words += f": {', '.join(shown)}" if shown else ""
    if found.line is not None:
        line = found.line
        summary["line"] = {name: _plain(value) for name, value in line.items()}
        amount = f"{_text(line.get('Quantity'))} x {_text(line.get('Rate'))}"
        what = _text(line.get("Description") or "")
        words = f"line {line.get('LineID')} {what} ({amount}) of {words}"
    for group, rows in found.dependents:
        words += f"; with it go {_documents_total(rows, group.label)}"
        summary[group.label.removesuffix("(s)") + "s"] = len(rows)
    return words, {k: v for k, v in summary.items() if v not in (None, "")}


def _document(kind: RecordKind, doc: wire.Invoice, summary: dict[str, Any]) -> str:
    net, vat, paid = doc.NetAmount or Decimal(0), doc.VATAmount or Decimal(0), doc.AmountPaid
    currency, gross = doc.CurrencyCode or "GBP", _money(net + vat)
    status = None if kind.name == "quote" else invoice_status(doc, date.today())
    party = doc.CustomerName or doc.Customer or ""
    summary.update(
        party=clean_text(party),
        CustomerID=doc.CustomerID,
        date=str(to_date(doc.InvoiceDate) or ""),
        currency=currency,
        gross_amount=gross,
        amount_paid=_money(paid or Decimal(0)) if status else None,
        status=status,
        lines=len(doc.Lines or ()),
    )
    facts = [summary["date"], f"{currency} {gross}"]
    if status:
        facts += [f"paid {summary['amount_paid']}", status]
    return (
        f"{kind.name} {doc.InvoiceNumber} of {kind.party} {doc.CustomerID} {_text(party)} "
        f"({', '.join(fact for fact in facts if fact)})"
    )


def _money(value: Decimal) -> str:
    """At least the pennies: KashFlow may write 0 for 0.00."""
    return format(value.quantize(PENNY) if value.as_tuple().exponent > -2 else value, "f")


def _documents_total(rows: list[Record], label: str) -> str:
    gross: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        doc = wire.Invoice.model_validate(row)
        gross[doc.CurrencyCode or "GBP"] += (doc.NetAmount or 0) + (doc.VATAmount or 0)
    totals = ", ".join(f"{code} {_money(total)}" for code, total in sorted(gross.items()))
    return f"{len(rows)} {label}" + (f" ({totals})" if totals else "")
