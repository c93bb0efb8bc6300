"""The operation catalogue and the wire models agree with KashFlow's service description."""

from __future__ import annotations

import pytest

from kashflow_mcp.kashflow import OPERATIONS, Kind, get_operation
from kashflow_mcp.kashflow.api.customers import CustomerSummary
from kashflow_mcp.kashflow.wire import generate, records
from kashflow_mcp.kashflow.wsdl_types import TYPES, RecordType, field_types, record_fields


def test_the_catalogue_covers_all_164_operations() -> None:
    assert len(OPERATIONS) == 164


@pytest.mark.parametrize(
    "name",
    ["EmailInvoice", "EmailPurchaseOrder", "GetRemoteLoginURL", "AutoAuthIP", "createAccount"],
)
def test_operations_that_mail_or_hand_out_logins_are_restricted(name: str) -> None:
    assert OPERATIONS[name].kind is Kind.RESTRICTED


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("GetCustomers", Kind.READ),
        ("GetInvoicesForCustomer", Kind.READ),
        ("InsertInvoice", Kind.WRITE),
        ("UpdateCustomer", Kind.WRITE),
        ("DeleteCustomer", Kind.DELETE),
        ("DeleteInvoiceByID", Kind.DELETE),
        ("InsertInvoicePayment", Kind.WRITE),
    ],
)
def test_operations_are_classed_by_what_they_do(name: str, kind: Kind) -> None:
    assert OPERATIONS[name].kind is kind


def test_every_parameter_and_output_type_is_known() -> None:
    simple = {"string", "int", "integer", "decimal", "boolean", "dateTime", "base64Binary"}
    for op in OPERATIONS.values():
        for _, kind in (*op.params, *op.outputs):
            assert kind in simple or kind in TYPES, (op.name, kind)


def test_parameter_names_follow_the_wsdl() -> None:
    assert OPERATIONS["GetInvoicesForCustomer"].param_names == ("CustID",)
    assert OPERATIONS["InsertCustomer"].param_names == ("custr",)
    assert OPERATIONS["GetCustomerBalance"].param_names == ("CustomerCode",)


def test_only_operations_without_credentials_are_marked_so() -> None:
    without = {op.name for op in OPERATIONS.values() if not op.credentials}
    assert without == {"createAccount", "SageFile", "SageFileImport"}


def test_names_are_exact() -> None:
    assert get_operation("getcustomers") is None
    assert get_operation("GetCustomers") is OPERATIONS["GetCustomers"]


def test_the_wire_records_are_generated_from_the_wsdl_types() -> None:
    """``wire/records.py`` is written from the type table; rewrite it with
    ``python -m kashflow_mcp.kashflow.wire.generate`` after changing the table."""
    assert generate.TARGET.read_text() == generate.source()


@pytest.mark.parametrize("name", [n for n, t in TYPES.items() if isinstance(t, RecordType)])
def test_every_wire_record_has_its_wsdl_fields_in_order(name: str) -> None:
    model = getattr(records, name)
    assert list(model.model_fields) == [field for field, _ in record_fields(name)]


def test_the_customer_summary_is_a_subset_of_the_customer_record() -> None:
    assert set(CustomerSummary.model_fields) <= set(field_types("Customer"))
