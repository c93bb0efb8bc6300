"""Where a payment was last seen: the newest sighting wins, and the oldest are forgotten."""

from __future__ import annotations

from kashflow_mcp.tools.core.sightings import Sightings


def test_the_last_invoice_a_payment_was_seen_on_is_remembered() -> None:
    seen = Sightings()
    seen.saw(810001, 1001)
    seen.saw(810001, 1002)
    assert (seen.invoice_of(810001), seen.invoice_of(810002)) == (1002, None)


def test_beyond_its_size_the_longest_unseen_are_forgotten_first() -> None:
    seen = Sightings(size=2)
    seen.saw(1, 11)
    seen.saw(2, 12)
    seen.saw(1, 11)  # seen again: now the newest
    seen.saw(3, 13)
    assert [seen.invoice_of(n) for n in (1, 2, 3)] == [11, None, 13]
