"""A local emulator of KashFlow's SOAP API: Starlette app, SQLite books, demo data, faults.

``create_app(db_path)`` gives the app; ``serve(...)`` (in ``.server``) runs it with uvicorn.
Reached only over HTTP - the KashFlow client never imports this package.
"""

from .app import create_app
from .db import SandboxStore
from .faults import FaultRule

__all__ = ["FaultRule", "SandboxStore", "create_app"]
