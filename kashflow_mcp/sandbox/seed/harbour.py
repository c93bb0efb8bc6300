# The customer table reads best one customer to a line.
# ruff: noqa: E501
"""Harbour Lights Cafe Ltd, a harbourside café and events caterer in Whitby: the second company.

Twelve customers: local businesses, a wedding venue, a primary school, a heritage railway
society, coach tour operators (one in Galway, in EUR) and a Dutch film crew on location (EUR).
The VAT follows HMRC's guidance:

- food served at an event, a wedding or a meeting is catering, standard-rated (20%), and so is
  hot takeaway food - fish and chips is Notice 709/1's own example (VAT Notice 709/1,
  "Catering, takeaway food and VAT");
- cold takeaway food is zero-rated, as long as it is not of a kind that is always standard-rated
  (crisps, sweets, bottled drinks: Notice 709/1 and Notice 701/14, "Food"); cakes are food;
- a bare meeting room is a licence to occupy land, exempt while the café has not opted to tax
  (VAT Notice 742, "Land and property"; Notice 742A); a function room hired with our own
  catering is part of that catering, standard-rated.

Catering is taxed where it is performed and room hire where the land is (VAT Notice 741A,
"Place of supply of services"), and the food is handed over in Whitby, so customers from abroad
pay UK VAT like everyone else. Addresses are real streets, the businesses are invented.
"""

from __future__ import annotations

from .company import Company, CustomerRow, Product, SalesCode

# code, name, contact (title first last), street, town, postcode, country, ISO code, currency,
# payment terms, source id
_CUSTOMERS = [
    ("ESKV01", "Esk Valley Barn Weddings", "Mrs Helen Storr", "Larpool Lane", "Whitby", "YO22 4ND", "United Kingdom", "GB", "GBP", 14, 3),
    ("ESKD01", "Eskdale Primary Academy", "Mr Ian Harland", "Green Lane", "Whitby", "YO22 4EH", "United Kingdom", "GB", "GBP", 30, 5),
    ("SCOR01", "Scoresby Gallery", "Ms Freya Lund", "Flowergate", "Whitby", "YO21 3BA", "United Kingdom", "GB", "GBP", 30, 1),
    ("JETS01", "Jet & Silver Jewellers", "Mr Colin Verrill", "Church Street", "Whitby", "YO22 4AE", "United Kingdom", "GB", "GBP", 14, 1),
    ("NIGH01", "Nightshade Festivals Ltd", "Ms Morgan Black", "Skinner Street", "Whitby", "YO21 3AH", "United Kingdom", "GB", "GBP", 30, 6),
    ("MOOR01", "Moorland Heritage Rail Society", "Mr Derek Pybus", "Station Square", "Whitby", "YO21 1YN", "United Kingdom", "GB", "GBP", 30, 2),
    ("SURF01", "Sandside Surf School", "Mr Jack Cammish", "Sandside", "Scarborough", "YO11 1PE", "United Kingdom", "GB", "GBP", 14, 6),
    ("BAYT01", "Bay Town Walking Holidays", "Mrs Ruth Harrison", "King Street", "Robin Hood's Bay", "YO22 4SH", "United Kingdom", "GB", "GBP", 30, 4),
    ("MICK01", "Micklegate Conference Services Ltd", "Dr Amara Nwosu", "Micklegate", "York", "YO1 6JX", "United Kingdom", "GB", "GBP", 30, 2),
    ("TYNE01", "Tyne Bridge Coach Tours Ltd", "Mr Stephen Charlton", "Sandhill", "Newcastle upon Tyne", "NE1 3JF", "United Kingdom", "GB", "GBP", 30, 5),
    ("WILD01", "Wild Atlantic Coach Tours Ltd", "Ms Siobhán Keane", "Dock Road", "Galway", "H91 T8W2", "Ireland", "IE", "EUR", 30, 2),
    ("NACH01", "Nachtvlinder Film BV", "Dhr. Pieter Bakker", "Herengracht 420", "Amsterdam", "1017 BZ", "Netherlands", "NL", "EUR", 30, 2),
]  # fmt: skip

CATERING, COLD_FOOD, HOT_FOOD, ROOM_HIRE = 3201, 3202, 3203, 3204

# description, sales type (nominal id), VAT rate, pennies from-to, quantities; all supplied in
# Whitby, so UK VAT whoever buys
_PRODUCTS = [
    ("Three-course dinner, served at your event (per head)", CATERING, "20", (3200, 5200), ("30", "60", "90")),
    ("Hot and cold buffet, served by our staff (per head)", CATERING, "20", (1400, 2400), ("25", "40", "60")),
    ("Tea, coffee and scones, served (per head)", CATERING, "20", (450, 750), ("12", "20", "30")),
    ("Waiting staff (hours)", CATERING, "20", (1650, 2200), ("8", "12", "20")),
    ("Cold sandwich and salad boxes, to take away", COLD_FOOD, "0", (650, 950), ("10", "24", "36")),
    ("Whole celebration cake, to take away", COLD_FOOD, "0", (4500, 12000), ("1",)),
    ("Hot fish and chips, to take away (per portion)", HOT_FOOD, "20", (1150, 1450), ("12", "30", "45")),
    ("Hot bacon rolls, to take away", HOT_FOOD, "20", (450, 650), ("20", "40")),
    ("Meeting room hire, half day (no catering)", ROOM_HIRE, "-1", (9000, 15000), ("1", "2")),
    ("Function room with our catering, evening", ROOM_HIRE, "20", (25000, 45000), ("1",)),
]  # fmt: skip

HARBOUR = Company(
    key="harbour",
    title="Harbour Lights Cafe Ltd",
    summary="a Whitby harbourside café and events caterer",
    details={
        "Address1": "Harbour Lights",
        "Address2": "Pier Road",
        "Address3": "Whitby",
        "Address4": "North Yorkshire",
        "Postcode": "YO21 3PU",
        "PrimaryEmail": "accounts@harbour-lights.example",
        "PrimaryContact": "Rosie Thwaite",
        "Telephone": "01632 960418",
        "Mobile": "07700 900418",
        "VatRegistered": "Yes",
        "VatRegistrationNumber": "GB 246 8135 79",
        "BusinessType1Name": "Café",
        "BusinessType2Name": "Event catering",
        "BusinessType3Name": "Room hire",
    },
    sources=(
        "Walk-in",
        "Website",
        "Wedding fair",
        "Tourist information centre",
        "Repeat customer",
        "Instagram",
    ),
    projects=(
        ("Autumn festival weekend", "Pop-up café and hot food at the Pavilion"),
        ("Summer wedding season", "Wedding breakfasts and evening buffets, May to September"),
        ("Regatta week", "Harbourside stall and crew lunches"),
        ("Christmas fayre", "Hot food and drinks on the quay"),
    ),
    customers=tuple(CustomerRow(*row) for row in _CUSTOMERS),
    products=tuple(Product(*row, taxed_in_uk=True) for row in _PRODUCTS),
    sales_codes=(
        SalesCode(CATERING, 4100, "Event catering"),
        SalesCode(COLD_FOOD, 4110, "Cold food sales"),
        SalesCode(HOT_FOOD, 4120, "Hot food sales"),
        SalesCode(ROOM_HIRE, 4130, "Room hire"),
    ),
    seed=20_230_915,
    first_invoice_number=5001,
    username="harbour",
    password="sandbox-harbour",
    town_phones={"Newcastle upon Tyne": "0191 498 0"},
)
