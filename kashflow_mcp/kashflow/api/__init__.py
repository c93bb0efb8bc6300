"""The KashFlow client: one caller, its operations grouped by area (``client.invoices.get(n)``).

Each area is a module of typed operations taking and returning the wire records; anything not
typed here is reachable with ``client.call(operation, params)``.
"""

from __future__ import annotations

from functools import cached_property

from ..soap import SoapCaller
from .bank import Bank
from .customers import Customers, CustomerSummary
from .invoices import Invoices
from .payments import Payments
from .reference import Reference
from .reports import Reports


class KashFlowClient(SoapCaller):
    @cached_property
    def bank(self) -> Bank:
        return Bank(self)

    @cached_property
    def customers(self) -> Customers:
        return Customers(self)

    @cached_property
    def invoices(self) -> Invoices:
        return Invoices(self)

    @cached_property
    def payments(self) -> Payments:
        return Payments(self)

    @cached_property
    def reference(self) -> Reference:
        return Reference(self)

    @cached_property
    def reports(self) -> Reports:
        return Reports(self)


__all__ = ["CustomerSummary", "KashFlowClient"]
