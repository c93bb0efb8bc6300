"""Customers: list, get, create, update, delete. This module declares the tools as the model
sees them; their handlers are in ``handlers`` and the mapping between KashFlow's Customer record
and the assistant's model in ``mapping``, both imported on a customer tool's first call."""

from __future__ import annotations

from ..base import Kind, ToolSpec
from ..toolsets import CUSTOMERS

CUSTOMER_TOOLS = (
    ToolSpec(
        name="list_customers",
        title="List customers",
        description="Page through customers (compact rows); filter with search. "
        "Use get_customer for all of one customer's details.",
        runs="customers.handlers:list_customers",
        toolset=CUSTOMERS,
        kind=Kind.READ,
        operations=("GetCustomers",),
    ),
    ToolSpec(
        name="get_customer",
        title="Get a customer",
        description="One customer's full record, by customer_id or code.",
        runs="customers.handlers:get_customer",
        toolset=CUSTOMERS,
        kind=Kind.READ,
        operations=("GetCustomerByID", "GetCustomer"),
    ),
    ToolSpec(
        name="create_customer",
        title="Create a customer",
        description="Add a customer; omitted fields stay empty.",
        runs="customers.handlers:create_customer",
        toolset=CUSTOMERS,
        kind=Kind.WRITE,
        operations=("InsertCustomer",),
    ),
    ToolSpec(
        name="update_customer",
        title="Update a customer",
        description="Change some fields of a customer; fields you omit keep their values.",
        runs="customers.handlers:update_customer",
        toolset=CUSTOMERS,
        kind=Kind.OVERWRITE,
        operations=("UpdateCustomer", "SetCustomerVATNumber", "SetCustomerCurrency"),
    ),
    ToolSpec(
        name="delete_customer",
        title="Delete a customer",
        description="Delete a customer AND all their invoices. The first call only previews; "
        "repeat it with the confirmation_token it returns to act.",
        runs="customers.handlers:delete_customer",
        toolset=CUSTOMERS,
        kind=Kind.DESTRUCTIVE,
        operations=("DeleteCustomer",),
    ),
)
