"""What a new sandbox database starts with.

Every database gets the reference data a new KashFlow account has (``reference``: currencies,
VAT rates, sales and balance-sheet nominal codes, payment methods). ``seed`` adds the demo
company (``demo``) once, into a database that has never held it and has no customers of its
own; ``scale`` tops the books up to that many synthetic customers (``scale``). Both are
deterministic: the demo's dates are offsets from the day it was loaded, recorded in the
database as ``demo_anchor``.
"""

from __future__ import annotations

from datetime import date

from ..db import SandboxStore
from . import demo, reference
from . import scale as synthetic

REFERENCE_VERSION = "2"
"""Version 2 completed the chart of accounts."""


def prepare(
    store: SandboxStore, *, seed: bool = True, scale: int = 0, today: date | None = None
) -> None:
    """Bring a database to the requested starting point; a no-op when it is already there."""
    anchor = today or date.today()
    with store.write() as books:
        version = books.meta("reference")
        if version is None:
            reference.load(books)
        elif version != REFERENCE_VERSION:
            reference.complete_chart(books)  # books made before the chart was complete
        if version != REFERENCE_VERSION:
            books.set_meta("reference", REFERENCE_VERSION)
        if seed and books.meta("demo_anchor") is None and books.customers.count() == 0:
            demo.load(books, anchor)
            books.set_meta("demo_anchor", anchor.isoformat())
    if scale > 0:
        with store.write() as books:
            synthetic.top_up(books, scale, anchor)
