# The customer table reads best one customer to a line.
# ruff: noqa: E501
"""Kestrel Print & Design Ltd, a small Bristol design and print studio: the first demo company.

Thirty customers (UK in GBP; Ireland, France, Germany, the Netherlands, Greece - code EL, as
KashFlow spells it - and Spain in EUR; the US in USD). Design work is at 20% VAT, printed matter
zero-rated, energy-saving lighting at 5%, Royal Mail postage exempt; services to customers
abroad carry no UK VAT. Addresses are real streets, the businesses are invented.
"""

from __future__ import annotations

from .company import Company, CustomerRow, Product, SalesCode

# code, name, contact (title first last), street, town, postcode, country, ISO code, currency,
# payment terms, source id
_CUSTOMERS = [
    ("HARB01", "Harbourside Coffee Co", "Ms Ellie Brandon", "22 Narrow Quay", "Bristol", "BS1 4QA", "United Kingdom", "GB", "GBP", 14, 1),
    ("CLIF01", "Clifton Dental Practice", "Dr Sanjay Mehta", "8 Princess Victoria Street", "Bristol", "BS8 4BX", "United Kingdom", "GB", "GBP", 30, 2),
    ("REDL01", "Redland Yoga Studio", "Ms Hannah Ortiz", "41 Zetland Road", "Bristol", "BS6 7AH", "United Kingdom", "GB", "GBP", 7, 1),
    ("AVON01", "Avon Gorge Cycles", "Mr Tom Wheeler", "3 Hotwell Road", "Bristol", "BS8 4RU", "United Kingdom", "GB", "GBP", 30, 4),
    ("QUAY01", "Quayside Architects LLP", "Mr Daniel Okafor", "22 Narrow Quay", "Bristol", "BS1 4QA", "United Kingdom", "GB", "GBP", 30, 2),
    ("BATH01", "Bath Stone Interiors Ltd", "Mrs Joanna Pike", "15 Walcot Street", "Bath", "BA1 5BG", "United Kingdom", "GB", "GBP", 30, 3),
    ("CHEL01", "Cheltenham Literary Society", "Mr Robert Haines", "2 Imperial Square", "Cheltenham", "GL50 1QB", "United Kingdom", "GB", "GBP", 60, 5),
    ("CARD01", "Cardiff Bay Rowing Club", "Ms Megan Lloyd", "Harbour Drive", "Cardiff", "CF10 4PA", "United Kingdom", "GB", "GBP", 30, 2),
    ("STOK01", "Stokes Croft Records", "Mr Kwame Mensah", "90 Stokes Croft", "Bristol", "BS1 3QY", "United Kingdom", "GB", "GBP", 14, 6),
    ("BRUN01", "Brunel Property Lettings", "Mrs Claire Dunmore", "5 Temple Way", "Bristol", "BS2 0BY", "United Kingdom", "GB", "GBP", 30, 4),
    ("WYEV01", "Wye Valley Cider Company", "Mr Gareth Price", "Tintern Mill", "Chepstow", "NP16 6SE", "United Kingdom", "GB", "GBP", 30, 3),
    ("SHOR01", "Shoreditch Sourdough Ltd", "Ms Priya Raman", "117 Redchurch Street", "London", "E2 7DJ", "United Kingdom", "GB", "GBP", 14, 1),
    ("NORQ01", "Northern Quarter Games", "Mr Liam Doyle", "36 Oldham Street", "Manchester", "M1 1JN", "United Kingdom", "GB", "GBP", 30, 6),
    ("LEED01", "Leeds Textile Mills Ltd", "Mrs Susan Ackroyd", "Armley Road", "Leeds", "LS12 2QF", "United Kingdom", "GB", "GBP", 60, 3),
    ("FRIN01", "Fringe Street Theatre Co", "Ms Fiona MacLeod", "10 Cowgate", "Edinburgh", "EH1 1JW", "United Kingdom", "GB", "GBP", 30, 2),
    ("GLOU01", "Kingsholm Supporters Club", "Mr Paul Bennett", "Kingsholm Road", "Gloucester", "GL1 3AX", "United Kingdom", "GB", "GBP", 30, 5),
    ("SWIN01", "Swindon Railway Heritage Trust", "Dr Alan Matthews", "Fleming Way", "Swindon", "SN1 1QN", "United Kingdom", "GB", "GBP", 30, 2),
    ("EXET01", "Exeter Riverside Dental", "Dr Rachel Sutton", "2 Haven Road", "Exeter", "EX2 8BP", "United Kingdom", "GB", "GBP", 30, 4),
    ("OXFO01", "Clarendon Bookbinders", "Mr Edward Lyle", "14 Little Clarendon Street", "Oxford", "OX1 2HP", "United Kingdom", "GB", "GBP", 30, 1),
    ("JEWQ01", "Jewellery Quarter Designs", "Ms Aisha Begum", "51 Vyse Street", "Birmingham", "B18 6HF", "United Kingdom", "GB", "GBP", 14, 6),
    ("PLYM01", "Plymouth Sound Sailing School", "Mr Chris Hocking", "Barbican Approach", "Plymouth", "PL4 0LG", "United Kingdom", "GB", "GBP", 30, 3),
    ("LIFF01", "Liffey Tech Solutions Ltd", "Mr Conor Byrne", "12 Ormond Quay Upper", "Dublin", "D07 X2V1", "Ireland", "IE", "EUR", 30, 3),
    ("SOIE01", "Atelier Soierie Lyon SARL", "Mme Camille Dubois", "14 Rue Romarin", "Lyon", "69001", "France", "FR", "EUR", 30, 3),
    ("KREU01", "Kreuzberg Kaffeerösterei GmbH", "Herr Jonas Weber", "Oranienstraße 183", "Berlin", "10999", "Germany", "DE", "EUR", 30, 6),
    ("GRAC01", "Grachten Design Studio BV", "Mevr. Sanne de Vries", "Prinsengracht 263", "Amsterdam", "1016 GV", "Netherlands", "NL", "EUR", 30, 2),
    ("AEGE01", "Aegean Olive Traders SA", "Mr Nikos Papadakis", "Ermou 45", "Athens", "105 63", "Greece", "EL", "EUR", 30, 3),
    ("TALL01", "Taller Gràfic Barcelona SL", "Sra Laia Puig", "Carrer de Verdi 32", "Barcelona", "08012", "Spain", "ES", "EUR", 30, 1),
    ("BEAC01", "Beacon Hill Publishing Inc", "Ms Karen Whitfield", "55 Charles Street", "Boston, MA", "02114", "United States", "US", "USD", 30, 3),
    ("LONE01", "Lone Star Craft Brewing LLC", "Mr Diego Ramirez", "1100 E 6th Street", "Austin, TX", "78702", "United States", "US", "USD", 30, 4),
    ("ROSE01", "Rose City Outfitters", "Ms Jenna Holt", "421 SW Oak Street", "Portland, OR", "97204", "United States", "US", "USD", 14, 1),
]  # fmt: skip

# description, sales type (nominal id), VAT rate, pennies from-to, quantities
_PRODUCTS = [
    ("Brand identity design", 3101, "20", (65000, 240000), ("1",)),
    ("Graphic design (hours)", 3101, "20", (4500, 7500), ("2.5", "4", "7.5", "12")),
    ("Website page design", 3101, "20", (28000, 52000), ("1", "3", "5")),
    ("Printed brochures, A4 16pp (per 100)", 3102, "0", (8900, 14000), ("2", "5", "10")),
    ("Leaflets, A5 double-sided (per 1,000)", 3102, "0", (6200, 9500), ("1", "3", "5")),
    ("Vinyl window graphics", 3103, "20", (12000, 48000), ("1", "2")),
    ("Energy-saving LED sign lighting, supplied and fitted", 3103, "5", (18000, 64000), ("1", "2")),
    ("Royal Mail postage", 3104, "-1", (335, 4890), ("1",)),
    ("Next-day courier", 3104, "20", (1250, 3500), ("1",)),
]

KESTREL = Company(
    key="kestrel",
    title="Kestrel Print & Design Ltd",
    summary="a Bristol design and print studio",
    details={
        "Address1": "Unit 4, Harbourside Works",
        "Address2": "Cumberland Road",
        "Address3": "Bristol",
        "Address4": "",
        "Postcode": "BS1 6UX",
        "PrimaryEmail": "accounts@kestrel-print.example",
        "PrimaryContact": "Maya Kestrel",
        "Telephone": "0117 496 0123",
        "Mobile": "07700 900123",
        "VatRegistered": "Yes",
        "VatRegistrationNumber": "GB 987 6543 21",
        "BusinessType1Name": "Design",
        "BusinessType2Name": "Print",
        "BusinessType3Name": "Signage",
    },
    sources=("Website", "Referral", "Trade show", "Google Ads", "Repeat customer", "LinkedIn"),
    projects=(
        ("Harbour Festival programme", "Programmes, posters and wayfinding for the festival"),
        ("Autumn retail campaign", "Window graphics and leaflets for autumn promotions"),
        ("Museum signage refresh", "Interpretation panels and LED-lit signs"),
        ("Brand refresh", "Logo, stationery and brand guidelines"),
    ),
    customers=tuple(CustomerRow(*row) for row in _CUSTOMERS),
    products=tuple(Product(*row) for row in _PRODUCTS),
    # The reference chart every account starts with already holds these.
    sales_codes=(
        SalesCode(3101, 4000, "Design services"),
        SalesCode(3102, 4010, "Printing"),
        SalesCode(3103, 4020, "Signage and installation"),
        SalesCode(3104, 4090, "Postage and carriage recharged"),
    ),
    seed=20_240_401,
    first_invoice_number=1001,
    username="kestrel",
    password="sandbox-kestrel",
    town_phones={
        "Bristol": "0117 496 0",
        "London": "020 7946 0",
        "Manchester": "0161 496 0",
        "Leeds": "0113 496 0",
        "Edinburgh": "0131 496 0",
        "Cardiff": "029 2018 0",
    },
)
