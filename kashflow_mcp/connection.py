"""Which KashFlow the server talks to: the live service, or the embedded sandbox in-process.

The sandbox is reached through httpx's ASGI transport, so the client sends exactly the same
SOAP over the same code path as it does to the real service, with no port opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from .accounts import DEFAULT, AccountsError, configured_accounts
from .config import Settings, default_sandbox_db
from .kashflow import KashFlowClient, RetryPolicy

if TYPE_CHECKING:
    import httpx

SANDBOX_URL = "http://sandbox.invalid/api/service.asmx"
SANDBOX_USERNAME = "sandbox"
SANDBOX_PASSWORD = "sandbox"


class CannotConnect(ValueError):
    """The settings cannot reach a KashFlow (or the sandbox's books); the message says why."""


__all__ = ["AccountsError", "Books", "CannotConnect", "open_books", "open_client"]


def _sandbox_transport(app: Any) -> httpx.ASGITransport:
    """The in-process sandbox as an httpx transport; closing it closes the sandbox's books."""
    import httpx

    class SandboxTransport(httpx.ASGITransport):
        async def aclose(self) -> None:
            app.state.store.close()

    return SandboxTransport(app=app)


def offered_operations(settings: Settings) -> frozenset[str] | None:
    """The operations the backend answers: the in-process sandbox's own; None (all) otherwise.

    A sandbox reached over HTTP (``KASHFLOW_API_URL``) is taken as KashFlow itself: it still
    answers an operation it does not emulate with Status=NO saying so.
    """
    if not settings.sandbox:
        return None
    from .sandbox.dispatch import HANDLERS

    return frozenset(HANDLERS)


def _sandbox_client(
    settings: Settings, books: Path, company: str, username: str, password: str
) -> KashFlowClient:
    """A client on an in-process sandbox playing ``company``, its books in the file ``books``."""
    from .sandbox import create_app  # only sandbox users pay for importing it
    from .sandbox.db.schema import NewerBooks
    from .sandbox.seed.companies import WrongCompany

    books.parent.mkdir(parents=True, exist_ok=True)
    try:
        app = create_app(books, company=company, username=username, password=password)
    except NewerBooks as exc:
        raise CannotConnect(f"{exc}, or give another --sandbox-db") from None
    except WrongCompany as exc:
        raise CannotConnect(f"{exc}: give another --sandbox-db") from None
    return KashFlowClient(
        username=username,
        password=password,
        url=SANDBOX_URL,
        transport=_sandbox_transport(app),
        timeout=settings.timeout,
        retry=RetryPolicy(deadline=settings.call_deadline),
    )


def open_client(settings: Settings) -> KashFlowClient:
    retry = RetryPolicy(deadline=settings.call_deadline)
    if settings.sandbox:
        books = settings.sandbox_db or default_sandbox_db()
        return _sandbox_client(settings, books, "kestrel", SANDBOX_USERNAME, SANDBOX_PASSWORD)
    if not settings.username or settings.password is None:
        raise CannotConnect(
            "KashFlow credentials are missing: set KASHFLOW_USERNAME and KASHFLOW_PASSWORD "
            "(the API password if the account uses one), or run with --sandbox to try the "
            "built-in demo books."
        )
    return KashFlowClient(
        username=settings.username,
        password=settings.password,
        url=settings.api_url,
        timeout=settings.timeout,
        retry=retry,
    )


@dataclass
class Books:
    """One KashFlow account the server keeps the books of, with the client that reaches it."""

    name: str
    title: str
    client: KashFlowClient
    read_only: bool = False
    offered: frozenset[str] | None = None
    """The operations its backend answers (an in-process sandbox's own); None: all."""
    secret: SecretStr | None = None
    """Its password, where the server's own settings do not hold it (to redact it)."""


def open_books(settings: Settings) -> list[Books]:
    """Every account the settings configure, each with a client of its own: its own connection
    pool, retries and deadline, so one slow company does not hold up another."""
    if settings.sandbox and settings.sandbox_companies > 1:
        return _sandbox_companies(settings)
    if settings.sandbox:
        return [
            Books(
                DEFAULT,
                "the built-in KashFlow sandbox",
                open_client(settings),
                settings.read_only,
                offered_operations(settings),
            )
        ]
    accounts = configured_accounts(settings)
    if accounts is None:
        return [Books(DEFAULT, "KashFlow", open_client(settings), settings.read_only)]
    return [
        Books(
            account.name,
            account.title,
            KashFlowClient(
                username=account.username,
                password=account.password,
                url=account.api_url or settings.api_url,
                timeout=settings.timeout,
                retry=RetryPolicy(deadline=settings.call_deadline),
            ),
            settings.read_only or account.read_only,
            secret=account.password,
        )
        for account in accounts
    ]


def _sandbox_companies(settings: Settings) -> list[Books]:
    """The first ``sandbox_companies`` demo companies, each an account of its own with its own
    books file and credentials, as a practice's clients would be."""
    from .sandbox.seed.companies import COMPANIES

    wanted = settings.sandbox_companies
    if wanted > len(COMPANIES):
        raise CannotConnect(
            f"the sandbox plays {len(COMPANIES)} demo companies ({', '.join(COMPANIES)}), "
            f"not {wanted}: give --sandbox-companies {len(COMPANIES)} or fewer"
        )
    opened = []
    for company in list(COMPANIES.values())[:wanted]:
        if settings.sandbox_db is not None:  # books.db -> books-kestrel.db, books-harbour.db
            base = settings.sandbox_db
            books = base.with_name(f"{base.stem}-{company.key}{base.suffix or '.db'}")
        else:
            books = default_sandbox_db(company.key)
        client = _sandbox_client(settings, books, company.key, company.username, company.password)
        opened.append(
            Books(
                company.key,
                company.title,
                client,
                settings.read_only,
                offered_operations(settings),
            )
        )
    return opened
