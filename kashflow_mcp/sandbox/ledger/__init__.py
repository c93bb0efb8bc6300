"""The sandbox's double-entry books: pure functions over documents, no I/O.

``accounts`` (the chart of nominal codes and which of them a line may name), ``postings``
(the balanced entries each document and payment posts) and ``reports`` (KashFlow's reports,
worked out from those entries). Entries are stored and replaced by the data access
(``db.ledger``), in the transaction that changes the documents they come from.
"""
