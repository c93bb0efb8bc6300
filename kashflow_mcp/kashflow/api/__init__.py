"""The KashFlow client: one caller, its operations grouped by area (``client.invoices.get(n)``).

Each area is a module of typed operations taking and returning the wire records; anything not
typed here is reachable with ``client.call(operation, params)``.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ..soap import SoapCaller

if TYPE_CHECKING:
    from .bank import Bank
    from .customers import Customers
    from .invoices import Invoices
    from .payments import Payments
    from .reference import Reference
    from .reports import Reports


class KashFlowClient(SoapCaller):
    """Each area, with the wire records it reads and writes, is imported on its first use: a
    server starts (and lists its tools) without loading any of them."""

    @cached_property
    def bank(self) -> Bank:
        from .bank import Bank

        return Bank(self)

    @cached_property
    def customers(self) -> Customers:
        from .customers import Customers

        return Customers(self)

    @cached_property
    def invoices(self) -> Invoices:
        from .invoices import Invoices

        return Invoices(self)

    @cached_property
    def payments(self) -> Payments:
        from .payments import Payments

        return Payments(self)

    @cached_property
    def reference(self) -> Reference:
        from .reference import Reference

        return Reference(self)

    @cached_property
    def reports(self) -> Reports:
        from .reports import Reports

        return Reports(self)


__all__ = ["KashFlowClient"]
