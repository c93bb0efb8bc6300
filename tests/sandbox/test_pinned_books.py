"""The demo companies' books, pinned: Kestrel's are the ones the sandbox has always made.

A company's customers, invoices and payments come from its fixed seed, so the same anchor day
gives the same books; these facts change if the generator drifts (a reordered random draw, a
new field drawn from the seed, a changed product). VAT and payment figures are worked by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kashflow_mcp.sandbox import SandboxStore
from kashflow_mcp.sandbox.db import Books
from kashflow_mcp.sandbox.seed import prepare

ANCHOR = date(2025, 6, 30)


def _books(path: Path, **company: str) -> Iterator[Books]:
    store = SandboxStore(path)
    prepare(store, today=ANCHOR, **company)
    with store.read() as books:
        yield books
    store.close()


@pytest.fixture
def kestrel(tmp_path: Path) -> Iterator[Books]:
    yield from _books(tmp_path / "kestrel.db")  # Kestrel is the default company


@pytest.fixture
def harbour(tmp_path: Path) -> Iterator[Books]:
    yield from _books(tmp_path / "harbour.db", company="harbour")


def _invoice(books: Books, number: int) -> dict[str, Any]:
    invoice = books.invoices.by_number(number)
    assert invoice is not None
    return invoice


def _lines(invoice: dict[str, Any]) -> list[tuple[Decimal, str, Decimal, Decimal]]:
    return [
        (Decimal(ln["Quantity"]), ln["Description"], Decimal(ln["Rate"]), Decimal(ln["VatRate"]))
        for ln in invoice["Lines"]
    ]


def test_kestrel_has_its_thirty_customers_eighty_six_invoices_and_a_credit_note(kestrel: Books):
    customers = kestrel.customers.all()
    invoices = kestrel.invoices.recent(1000)

    assert len(customers) == 30
    assert (customers[0]["CustomerID"], customers[0]["Code"]) == (20001, "HARB01")
    assert customers[0]["Name"] == "Harbourside Coffee Co"
    assert sorted(i["InvoiceNumber"] for i in invoices) == list(range(1001, 1088))
    # 43 invoices paid in full (debts one to three months overdue are still being chased), and
    # the credit note, used up, which counts as paid.
    assert sum(i["Paid"] for i in invoices) == 43 + 1


def test_kestrels_credit_note_takes_a_tenth_off_an_unpaid_invoice(kestrel: Books):
    invoice, note = _invoice(kestrel, 1085), _invoice(kestrel, 1087)

    # 2 x 107.45 zero-rated = 214.90; a tenth is 21.49, credited and set against it in full.
    assert invoice["CustomerName"] == note["CustomerName"] == "Shoreditch Sourdough Ltd"
    assert _lines(invoice) == [(2, "Printed brochures, A4 16pp (per 100)", Decimal("107.45"), 0)]
    assert (invoice["NetAmount"], invoice["AmountPaid"], invoice["Paid"]) == ("214.90", "21.49", 0)
    assert _lines(note) == [
        (-1, "Goodwill discount: Printed brochures, A4 16pp (per 100)", Decimal("21.49"), 0)
    ]
    assert (note["NetAmount"], note["VATAmount"], note["AmountPaid"]) == (
        "-21.49",
        "0.00",
        "-21.49",
    )


def test_kestrels_customers_are_unchanged(kestrel: Books):
    def customer(code: str) -> dict[str, Any]:
        found = kestrel.customers.by_code(code)
        assert found is not None
        return found

    first, dublin, quayside = customer("HARB01"), customer("LIFF01"), customer("QUAY01")

    assert (first["Telephone"], first["VATNumber"]) == ("0117 496 0133", "GB492265215")
    assert first["Created"] == "2023-07-11T09:00:00"  # 720 days before the anchor
    assert first["Notes"] == "Prefers invoices by email."
    assert (dublin["Telephone"], dublin["VATNumber"], dublin["EC"]) == (
        "+353 896862401",
        "IE728318654",
        1,
    )
    assert (quayside["Discount"], quayside["ShowDiscount"]) == ("5", True)
    assert customer("AVON01")["Email"] == (
        "accounts@avon-gorge-cycles.example; tom@avon-gorge-cycles.example"
    )
    assert customer("CHEL01")["DeliveryAddress1"] == "Goods In, Rear Yard"


def test_kestrels_first_invoices_are_unchanged(kestrel: Books):
    first, second = _invoice(kestrel, 1001), _invoice(kestrel, 1002)

    # 355 days before the anchor; one line of 30.52 at 20%: VAT 6.104 -> 6.10; paid in full.
    assert first["InvoiceDate"][:10] == "2024-07-10"
    assert first["CustomerName"] == "Northern Quarter Games"
    assert _lines(first) == [(1, "Next-day courier", Decimal("30.52"), 20)]
    assert (first["NetAmount"], first["VATAmount"], first["AmountPaid"]) == (
        "30.52",
        "6.10",
        "36.62",
    )
    # 2,234.14 at 20%: VAT 446.828 -> 446.83; 2,234.14 + 446.83 = 2,680.97, paid in full.
    assert second["CustomerName"] == "Clifton Dental Practice"
    assert _lines(second) == [(1, "Brand identity design", Decimal("2234.14"), 20)]
    assert (second["VATAmount"], second["AmountPaid"], second["Paid"]) == ("446.83", "2680.97", 1)


def test_kestrels_part_paid_invoices_are_unchanged(kestrel: Books):
    sailing, stone = _invoice(kestrel, 1007), _invoice(kestrel, 1084)

    # 4 x 74.97 = 299.88; VAT 59.976 -> 59.98; gross 359.86; 40% paid: 143.944 -> 143.94.
    assert sailing["CustomerName"] == "Plymouth Sound Sailing School"
    assert _lines(sailing) == [(4, "Graphic design (hours)", Decimal("74.97"), 20)]
    assert (sailing["NetAmount"], sailing["VATAmount"]) == ("299.88", "59.98")
    assert (sailing["AmountPaid"], sailing["Paid"]) == ("143.94", 0)
    # 71.88 zero-rated + 32.44 exempt = 104.32, no VAT; 40% paid: 41.728 -> 41.73.
    assert stone["CustomerName"] == "Bath Stone Interiors Ltd"
    assert _lines(stone) == [
        (1, "Leaflets, A5 double-sided (per 1,000)", Decimal("71.88"), 0),
        (1, "Royal Mail postage", Decimal("32.44"), -1),
    ]
    assert (stone["NetAmount"], stone["VATAmount"], stone["AmountPaid"]) == (
        "104.32",
        "0.00",
        "41.73",
    )


def test_kestrels_newest_invoice_is_to_amsterdam_in_euros_without_uk_vat(kestrel: Books):
    newest = _invoice(kestrel, 1086)

    assert newest["InvoiceDate"][:10] == "2025-06-26"
    assert (newest["CustomerName"], newest["CurrencyCode"]) == ("Grachten Design Studio BV", "EUR")
    assert _lines(newest) == [
        (1, "Energy-saving LED sign lighting, supplied and fitted", Decimal("629.83"), 0)
    ]
    assert (newest["VATAmount"], newest["AmountPaid"], newest["Paid"]) == ("0.00", "0.00", 0)


def test_harbour_has_its_twelve_customers_thirty_eight_invoices_and_a_credit_note(harbour: Books):
    customers = harbour.customers.all()
    invoices = harbour.invoices.recent(1000)

    assert [c["Code"] for c in customers][:2] == ["ESKV01", "ESKD01"]
    assert len(customers) == 12
    assert sorted(i["InvoiceNumber"] for i in invoices) == list(range(5001, 5040))


def test_harbours_credit_note_rounds_its_tenth_half_up_and_credits_vat(harbour: Books):
    invoice, note = _invoice(harbour, 5037), _invoice(harbour, 5039)

    # 45 x 13.01 = 585.45; a tenth, 58.545, is 58.55 half-up; VAT 20% 11.71; gross 70.26.
    assert _lines(invoice)[0][0] == 45 and _lines(invoice)[0][2] == Decimal("13.01")
    assert (note["NetAmount"], note["VATAmount"], note["AmountPaid"]) == (
        "-58.55",
        "-11.71",
        "-70.26",
    )
    assert (invoice["AmountPaid"], invoice["Paid"]) == ("70.26", 0)


def test_harbours_function_room_is_standard_rated_beside_zero_rated_sandwiches(harbour: Books):
    rail = _invoice(harbour, 5002)

    # 24 x 8.23 = 197.52 at 0%; 380.91 at 20%: VAT 76.182 -> 76.18; gross 654.61, paid.
    assert rail["CustomerName"] == "Moorland Heritage Rail Society"
    assert _lines(rail) == [
        (24, "Cold sandwich and salad boxes, to take away", Decimal("8.23"), 0),
        (1, "Function room with our catering, evening", Decimal("380.91"), 20),
    ]
    assert (rail["NetAmount"], rail["VATAmount"], rail["AmountPaid"]) == (
        "578.43",
        "76.18",
        "654.61",
    )


def test_harbours_galway_coach_tours_pay_uk_vat_on_catering_in_euros(harbour: Books):
    tours = _invoice(harbour, 5038)

    # 30 x 8.73 = 261.90 and 30 x 6.58 = 197.40, both at 20%: VAT 52.38 + 39.48 = 91.86;
    # 10 x 10.04 = 100.40 zero-rated; net 559.70; not yet paid.
    assert (tours["CustomerName"], tours["CurrencyCode"]) == (
        "Wild Atlantic Coach Tours Ltd",
        "EUR",
    )
    assert [(q, r, v) for q, _, r, v in _lines(tours)] == [
        (30, Decimal("8.73"), 20),
        (30, Decimal("6.58"), 20),
        (10, Decimal("10.04"), 0),
    ]
    assert (tours["NetAmount"], tours["VATAmount"], tours["AmountPaid"]) == (
        "559.70",
        "91.86",
        "0.00",
    )
