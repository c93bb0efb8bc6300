"""The demo companies the sandbox can play, in order, and which one a database holds.

``COMPANIES`` maps each key to its profile, the default (``kestrel``) first; a server playing
several accounts takes them in this order. A database records the company seeded into it in
its meta table (``company``), so books of one company are never opened as another's.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..db import Books
from .company import Company
from .harbour import HARBOUR
from .kestrel import KESTREL

COMPANIES: Mapping[str, Company] = MappingProxyType({c.key: c for c in (KESTREL, HARBOUR)})
DEFAULT_COMPANY = KESTREL.key


class UnknownCompany(ValueError):
    """No demo company has that key."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"there is no demo company {key!r}: the sandbox plays {', '.join(COMPANIES)}"
        )


class WrongCompany(Exception):
    """The database holds another demo company's books than the one asked for."""

    def __init__(self, path: str, held: str, wanted: Company) -> None:
        self.path, self.held, self.wanted = path, held, wanted
        known = COMPANIES.get(held)
        holder = (
            f"{known.title} ({held})" if known else f"a company this version does not know ({held})"
        )
        super().__init__(
            f"{path} holds the demo books of {holder}, not of {wanted.title} ({wanted.key})"
        )


def company_named(key: str) -> Company:
    try:
        return COMPANIES[key]
    except KeyError:
        raise UnknownCompany(key) from None


def held_company(books: Books) -> str | None:
    """The key of the company whose demo the books hold; None when they hold no demo."""
    held = books.meta("company")
    if held is None and books.meta("demo_anchor") is not None:
        # Books seeded before there were several companies hold the only one there was.
        held = KESTREL.key
    return held
