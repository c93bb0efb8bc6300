"""The tables behind call_kashflow_api's body checks name real fields and miss none."""

from __future__ import annotations

from kashflow_mcp.kashflow import OPERATIONS, Kind
from kashflow_mcp.kashflow.wsdl_types import TYPES, ArrayType, RecordType, field_types
from kashflow_mcp.tools.api_call.rules import MONEY, NOT_MONEY, REQUIRED, item_type, type_at


def decimal_fields_callers_can_send() -> set[str]:
    """Type.Field of every decimal inside any operation's parameters, however deep."""
    found: set[str] = set()
    seen: set[str] = set()

    def walk(kind: str) -> None:
        spec = TYPES.get(kind)
        if kind in seen or spec is None:
            return
        seen.add(kind)
        if isinstance(spec, ArrayType):
            walk(spec.item_type)
            return
        for name, field_kind in field_types(kind).items():
            if field_kind == "decimal":
                found.add(f"{kind}.{name}")
            walk(item_type(kind, name) or field_kind)

    for op in OPERATIONS.values():
        for _, kind in op.params:
            walk(kind)
    return found


def test_every_decimal_a_caller_can_send_is_classed_money_or_not() -> None:
    sendable = decimal_fields_callers_can_send()
    assert sendable == MONEY | set(NOT_MONEY)
    assert not MONEY & set(NOT_MONEY)


def test_amounts_are_money_and_rates_quantities_and_percentages_are_not() -> None:
    assert {"Payment.PayAmount", "InvoiceLine.Rate", "BankTransaction.moneyin"} <= MONEY
    assert {"InvoiceLine.Quantity", "InvoiceLine.VatRate", "Invoice.ExchangeRate"} <= set(NOT_MONEY)
    assert "Customer.Discount" in NOT_MONEY


def test_required_paths_name_fields_inside_the_operations_records() -> None:
    for name, rules in REQUIRED.items():
        op = OPERATIONS[name]
        assert op.kind is Kind.WRITE, name
        for rule in rules:
            for path in rule.split("|"):
                assert "." in path, f"{name}: {path} is top-level, and those are all required"
                assert type_at(op, path) is not None, f"{name}: no field {path}"
                first = path.split(".")[0]
                assert isinstance(TYPES.get(dict(op.params)[first]), RecordType)


def test_the_examples_kashflow_needs_are_required() -> None:
    assert REQUIRED["InsertInvoicePayment"] == (
        "InvoicePayment.PayInvoice",
        "InvoicePayment.PayDate",
        "InvoicePayment.PayAmount",
    )
    assert {"Inv.CustomerID", "Inv.InvoiceDate"} <= set(REQUIRED["InsertInvoice"])
    assert REQUIRED["InsertCustomer"] == ("custr.Name",)


def test_every_update_of_a_whole_record_requires_its_id() -> None:
    ids = {"Customer": "CustomerID", "Supplier": "SupplierID", "Invoice": "InvoiceDBID"}
    ids |= {"Invoice_TypeDefined": "InvoiceDBID", "JournalEntry": "DBID"}
    for name, op in OPERATIONS.items():
        if not name.startswith("Update") or len(op.params) != 1:
            continue
        param, kind = op.params[0]
        rules = " ".join(REQUIRED[name])
        assert f"{param}.{ids[kind]}" in rules, name
