"""One module per area of the sandbox, each serving that area's operations with ``@serves``.

An area imports no other area: what two of them share lives in ``rules`` (bookkeeping),
``db`` (data access) or ``dispatch``.
"""

from . import credit_notes, customers, invoices, mail, notes, payments, reference, reports

__all__ = [
    "credit_notes",
    "customers",
    "invoices",
    "mail",
    "notes",
    "payments",
    "reference",
    "reports",
]
