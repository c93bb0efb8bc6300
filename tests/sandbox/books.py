"""Customers, invoices and payments made through the project's own client, for the tests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from kashflow_mcp.kashflow import KashFlowClient
from kashflow_mcp.kashflow.wire.records import Customer, Invoice, InvoiceLine, Payment

DAY = datetime(2025, 3, 1)


def line(description: str, quantity: str, rate: str, vat: str, **extra: object) -> InvoiceLine:
    return InvoiceLine(
        Description=description,
        Quantity=Decimal(quantity),
        Rate=Decimal(rate),
        VatRate=Decimal(vat),
        **extra,
    )


async def new_customer(kf: KashFlowClient, name: str = "Acme Widgets", **fields: object) -> int:
    return await kf.customers.insert(Customer(Name=name, **fields))


async def new_invoice(
    kf: KashFlowClient, customer_id: int, *lines: InvoiceLine, **fields: object
) -> int:
    fields.setdefault("InvoiceDate", DAY)
    chosen = list(lines) or [line("Consulting", "1", "100", "20")]
    return await kf.invoices.insert(Invoice(CustomerID=customer_id, Lines=chosen, **fields))


async def pay(kf: KashFlowClient, number: int, amount: str) -> int:
    return await kf.payments.insert(
        Payment(PayInvoice=number, PayAmount=Decimal(amount), PayDate=DAY, PayMethod=1)
    )
