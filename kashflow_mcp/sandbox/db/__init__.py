"""The sandbox's SQLite file: its schema, the store (file and lock) and the data access."""

from .store import Ledger, Record, SandboxStore

__all__ = ["Ledger", "Record", "SandboxStore"]
