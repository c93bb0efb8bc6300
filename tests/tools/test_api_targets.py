"""The table of records call_kashflow_api writes and deletes act on agrees with the WSDL.

Every operation, parameter and field it names exists, with the type the other end expects: a
key read from the body goes into a read parameter of the same type, the read returns the record
kind named (one, or a list of them), and a list is searched by a field of the key's type.
"""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow import OPERATIONS, Kind
from kashflow_mcp.kashflow.wsdl_types import TYPES, ArrayType, field_types
from kashflow_mcp.sandbox.dispatch import HANDLERS
from kashflow_mcp.tools.api_call.rules import type_at
from kashflow_mcp.tools.api_call.targets import INSERTS, TARGETS, UNREADABLE, Lookup, RecordKind

CHANGES = sorted(name for name, op in OPERATIONS.items() if op.kind in (Kind.WRITE, Kind.DELETE))
LOOKUPS = [
    pytest.param(name, target.kind, lookup, id=f"{name}:{lookup.key}")
    for name, targets in TARGETS.items()
    for target in targets
    for lookup in target.lookups
]


def result_type(read: str) -> str:
    return OPERATIONS[read].outputs[0][1]


def listed_type(read: str) -> str | None:
    spec = TYPES.get(result_type(read))
    return spec.item_type if isinstance(spec, ArrayType) else None


def param_type(read: str, param: str) -> str | None:
    return dict(OPERATIONS[read].params).get(param)


def test_every_write_and_delete_is_classed_exactly_once() -> None:
    classes = [set(TARGETS) & set(CHANGES), set(INSERTS), set(UNREADABLE)]
    assert sorted(set().union(*classes)) == CHANGES
    assert sum(len(c) for c in classes) == len(CHANGES), "an operation is in two classes"


def test_beyond_writes_and_deletes_only_a_restricted_mailing_has_a_target() -> None:
    """EmailInvoice sends an invoice as it is: its preview shows it and its token is bound to
    it, as email_invoice's are."""
    others = set(TARGETS) - set(CHANGES)
    assert others == {"EmailInvoice"}
    assert all(OPERATIONS[name].kind is Kind.RESTRICTED for name in others)


def test_no_update_or_delete_passes_for_an_insert() -> None:
    for name in INSERTS:
        assert not name.startswith(("Update", "Delete", "Set")), name


@pytest.mark.parametrize(("operation", "kind", "lookup"), LOOKUPS)
def test_a_key_goes_into_a_read_parameter_of_its_type(
    operation: str, kind: RecordKind, lookup: Lookup
) -> None:
    op, read = OPERATIONS[operation], OPERATIONS[lookup.read]
    key_type = type_at(op, lookup.key)
    assert key_type in ("int", "string"), f"{operation}: no field {lookup.key}"
    assert read.kind is Kind.READ
    if lookup.match is None:
        assert result_type(lookup.read) == kind.type
        assert param_type(lookup.read, lookup.param or "") == key_type
        assert read.param_names == (lookup.param,)
        return
    assert listed_type(lookup.read) == kind.type
    assert field_types(kind.type)[lookup.match] == key_type
    if lookup.scope is not None:
        assert param_type(lookup.read, lookup.param or "") == type_at(op, lookup.scope)
    elif lookup.each is not None:
        source, field = lookup.each
        assert OPERATIONS[source].kind is Kind.READ and not OPERATIONS[source].params
        item = listed_type(source)
        assert item and field_types(item)[field] == param_type(lookup.read, lookup.param or "")
    else:
        assert lookup.param is None and not read.params
    assert read.param_names == ((lookup.param,) if lookup.param else ())


def test_record_kinds_name_fields_of_their_type() -> None:
    kinds = {target.kind for targets in TARGETS.values() for target in targets}
    for kind in kinds:
        fields = field_types(kind.type)
        for name in (kind.id, kind.number, *kind.shows):
            assert name in fields, (kind.name, name)
        assert fields[kind.id] == "int"
        if kind.party is not None:
            assert {"CustomerID", "CustomerName", "NetAmount", "VATAmount"} <= set(fields)


def test_lines_and_dependents_name_real_fields_and_reads() -> None:
    for name, targets in TARGETS.items():
        for target in targets:
            if target.line is not None:
                assert type_at(OPERATIONS[name], target.line) == "int"
                assert "Lines" in field_types(target.kind.type)
            for group in target.dependents:
                assert OPERATIONS[group.read].kind is Kind.READ
                wanted = param_type(group.read, group.param)
                assert field_types(target.kind.type)[group.field] == wanted
                assert listed_type(group.read) == "Invoice"


def test_insert_or_update_is_marked_only_where_the_id_may_be_left_out() -> None:
    optional = {name for name, ts in TARGETS.items() if any(t.new_when_absent for t in ts)}
    assert optional == {"InsertOrUpdateProject", "AddOrUpdateSubProduct"}


def test_parameter_names_follow_the_wsdl_not_a_neighbour() -> None:
    by_op = {name: [lk for t in ts for lk in t.lookups] for name, ts in TARGETS.items()}
    assert [(lk.key, lk.param) for lk in by_op["InsertOrUpdateProject"]] == [
        ("Project.ID", "ProjId")
    ]
    assert [(lk.key, lk.param) for lk in by_op["DeleteInvoiceByID"]] == [("InvoiceID", "InvoiceID")]
    assert [lk.key for lk in by_op["InsertInvoicePayment"]] == ["InvoicePayment.PayInvoice"]


def test_what_the_sandbox_offers_it_can_also_look_up() -> None:
    """An operation the sandbox runs must have its target's reads served there too."""
    for name, targets in TARGETS.items():
        if name in HANDLERS:
            for target in targets:
                for lookup in target.lookups:
                    assert lookup.read in HANDLERS, (name, lookup.read)
