"""What each table's data access shares: records kept as JSON beside the columns lookups need.

A record is stored as the JSON of its wire-ready dict (see ``rules``), so it goes back out
through the codec as it came in; the columns beside it exist only to find it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

INT64 = 2**63

Record = dict[str, Any]


def dump(record: Any) -> str:
    # A Decimal or datetime reaching here is a bug upstream: json.dumps refuses it loudly.
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def key(value: Any) -> int | None:
    """An id usable in a query; anything SQLite cannot hold matches nothing."""
    return value if isinstance(value, int) and -INT64 <= value < INT64 else None


class Table:
    """One area's queries and changes, inside the transaction of the connection given."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def _records(self, sql: str, args: Iterable[Any] = ()) -> list[Record]:
        return [json.loads(data) for (data,) in self._db.execute(sql, tuple(args))]

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[int, Record]]:
        """(id, record) for queries selecting an id and a record's JSON."""
        return [(key, json.loads(data)) for key, data in self._db.execute(sql, tuple(args))]
