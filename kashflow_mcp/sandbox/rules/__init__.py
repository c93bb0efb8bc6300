"""The bookkeeping rules the sandbox follows: pure functions, no I/O, one module per concern.

Records leave here *wire-ready*: every field of the WSDL record present, decimals as canonical
strings (never float), dates as ``yyyy-mm-ddT00:00:00``. That is also how they are stored, so
a stored record goes back out through the codec without another conversion. A rule that does
not hold raises ``Refusal``, which the service answers with ``Status=NO``.

``values`` (money, decimals, dates, ``Refusal``), ``records`` (whole records from what was
sent), then one module per area: ``customers``, ``invoices``, ``payments``, ``credit_notes``,
``notes``.
"""
