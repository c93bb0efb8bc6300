"""What a new sandbox database starts with.

Every database gets the reference data a new KashFlow account has (``reference``: currencies,
VAT rates, sales and balance-sheet nominal codes, payment methods). ``seed`` adds a demo
company's books (``demo``, from its profile in ``companies``) once, into a database that has
never held a demo and has no customers of its own, and records which company it was; books of
one company are refused when opened as another's (``WrongCompany``). ``scale`` tops the books
up to that many synthetic customers. Both are deterministic: the demo's dates are offsets
from the day it was loaded, recorded in the database as ``demo_anchor``.
"""

from __future__ import annotations

from datetime import date

from ..db import SandboxStore
from . import demo, reference
from . import scale as synthetic
from .companies import DEFAULT_COMPANY, WrongCompany, company_named, held_company

__all__ = ["WrongCompany", "prepare"]

REFERENCE_VERSION = "2"
"""Version 2 completed the chart of accounts."""


def prepare(
    store: SandboxStore,
    *,
    company: str = DEFAULT_COMPANY,
    seed: bool = True,
    scale: int = 0,
    today: date | None = None,
) -> None:
    """Bring a database to the requested starting point; a no-op when it is already there."""
    profile = company_named(company)
    anchor = today or date.today()
    with store.write() as books:
        version = books.meta("reference")
        if version is None:
            reference.load(books)
        elif version != REFERENCE_VERSION:
            reference.complete_chart(books)  # books made before the chart was complete
        if version != REFERENCE_VERSION:
            books.set_meta("reference", REFERENCE_VERSION)
        held = held_company(books)
        if held is not None and held != profile.key:
            raise WrongCompany(store.path, held, profile)
        if held is not None and books.meta("company") is None:
            books.set_meta("company", held)  # say so in the file, for books from before
        if seed and held is None and books.customers.count() == 0:
            demo.load(books, anchor, profile)
            books.set_meta("demo_anchor", anchor.isoformat())
            books.set_meta("company", profile.key)
    if scale > 0:
        with store.write() as books:
            synthetic.top_up(books, scale, anchor)
