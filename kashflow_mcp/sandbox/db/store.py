"""The sandbox's books in SQLite: one real file, WAL, safe under concurrent requests.

One connection serves the process behind a lock, so a transaction never interleaves with
another; every write runs in ``BEGIN IMMEDIATE`` so even a second process on the same file
cannot hand out an invoice number twice. Opening a file brings its schema up to date. Every
write transaction posts the documents it changed (``Ledger.settle``) before it commits, so
the books' entries never disagree with the documents, committed or not.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .books import Books
from .schema import migrate


class SandboxStore:
    """The database file and the lock that serialises transactions on it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so we choose IMMEDIATE.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 10000")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        try:
            with self.write():
                migrate(self._db, self.path)
        except BaseException:
            self._db.close()
            raise

    def __repr__(self) -> str:
        return f"SandboxStore({self.path!r})"

    @contextmanager
    def write(self) -> Iterator[Books]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                books = Books(self._db)
                yield books
                books.ledger.settle()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Books]:
        """A consistent snapshot for several queries."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield Books(self._db)
            finally:
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
