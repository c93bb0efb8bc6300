"""The sandbox's SQLite file: its schema, the store (file and lock) and the data access.

``schema`` (the layout and its migrations), ``store`` (``SandboxStore``: the file, its lock and
its transactions), ``books`` (``Books``: what one transaction sees), then one module per area's
table: ``reference``, ``customers``, ``invoices``, ``payments``, ``notes``, ``credit_notes``,
``outbox``, and ``ledger`` (the entries they post, replaced whenever they change); ``table``
holds what they share.
"""

from .books import Books
from .store import SandboxStore
from .table import Record

__all__ = ["Books", "Record", "SandboxStore"]
