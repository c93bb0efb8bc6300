"""A local emulator of KashFlow's SOAP API: Starlette app, SQLite books, demo data, faults.

``create_app(db_path)`` gives the app; ``serve(...)`` (in ``.server``) runs it with uvicorn.
Reached only over HTTP - the KashFlow client never imports this package.

``app`` answers requests and ``dispatch`` hands each to the handler of its operation; the
handlers live in ``areas`` (one module per area), the bookkeeping rules they follow in
``rules``, the SQLite file and its data access in ``db``, and what new books start with in
``seed``. An area imports no other area: what they share lives in rules, db or dispatch.
"""

from .app import create_app
from .db import SandboxStore
from .faults import FaultRule

__all__ = ["FaultRule", "SandboxStore", "create_app"]
