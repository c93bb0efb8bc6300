from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from kashflow_mcp.kashflow import KashFlowClient, RetryPolicy
from kashflow_mcp.sandbox import create_app

from .soap import PASSWORD, URL, USER

MakeApp = Callable[..., Starlette]


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[MakeApp]:
    """Build sandbox apps on files in tmp_path (``name`` picks the file); closes them after."""
    apps: list[Starlette] = []

    def make(name: str = "books.db", **options: Any) -> Starlette:
        app = create_app(tmp_path / name, username=USER, password=PASSWORD, **options)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.store.close()


@pytest.fixture
def empty_app(make_app: MakeApp) -> Starlette:
    return make_app(seed=False)


@pytest.fixture
def demo_app(make_app: MakeApp) -> Starlette:
    return make_app()


def client_for(
    app: Starlette, *, url: str = URL, password: str = PASSWORD, **options: Any
) -> KashFlowClient:
    """The project's own client on ``app``: in-process unless ``url`` names a real server.

    No retries unless asked for, so a test sees exactly what the sandbox answered.
    """
    options.setdefault("retry", RetryPolicy(attempts=1))
    transport = httpx.ASGITransport(app=app) if url == URL else None
    return KashFlowClient(username=USER, password=password, url=url, transport=transport, **options)


@pytest.fixture
async def http(empty_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=empty_app)) as client:
        yield client


@pytest.fixture
async def demo_http(demo_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app)) as client:
        yield client


@pytest.fixture
async def kf(empty_app: Starlette) -> AsyncIterator[KashFlowClient]:
    async with client_for(empty_app) as client:
        yield client


@pytest.fixture
async def demo_kf(demo_app: Starlette) -> AsyncIterator[KashFlowClient]:
    async with client_for(demo_app) as client:
        yield client
