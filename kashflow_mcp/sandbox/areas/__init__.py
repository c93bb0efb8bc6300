"""One module per area of the sandbox, each serving that area's operations with ``@serves``.

An area imports no other area: what two of them share lives in ``rules`` (bookkeeping),
``db`` (data access) or ``dispatch``.
"""

from . import customers, invoices, payments, reference, reports

__all__ = ["customers", "invoices", "payments", "reference", "reports"]
