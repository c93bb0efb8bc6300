"""SIGTERM lets in-flight calls finish, then the HTTP server exits cleanly."""

from __future__ import annotations

import os
import signal
import socket
import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client

from kashflow_mcp.sandbox import FaultRule, create_app

from ..support import serve_in_thread
from .calls import ok

pytestmark = pytest.mark.anyio


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_for_port(port: int, process: anyio.abc.Process) -> None:
    with anyio.fail_after(30):
        while True:
            assert process.returncode is None, "server exited during start-up"
            try:
                stream = await anyio.connect_tcp("127.0.0.1", port)
            except OSError:
                await anyio.sleep(0.05)
                continue
            await stream.aclose()
            return


async def test_sigterm_lets_the_call_in_flight_finish_then_exits_zero(tmp_path: Path) -> None:
    app = create_app(tmp_path / "books.db", username="u", password="p")
    with serve_in_thread(app) as sandbox_url:
        port = free_port()
        env = {
            **os.environ,
            "KASHFLOW_USERNAME": "u",
            "KASHFLOW_PASSWORD": "p",
            "KASHFLOW_API_URL": f"{sandbox_url}/api/service.asmx",
        }
        command = [sys.executable, "-m", "kashflow_mcp", "serve", "--transport", "http",
                   "--port", str(port)]  # fmt: skip
        async with await anyio.open_process(command, env=env) as process:
            try:
                await wait_for_port(port, process)
                async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                    row = (await ok(client, "list_customers", limit=1))["customers"][0]
                    app.state.faults.add(FaultRule(operation="GetCustomerByID", latency=1.5))
                    results: list[dict] = []
                    async with anyio.create_task_group() as group:

                        async def call() -> None:
                            results.append(
                                await ok(client, "get_customer", customer_id=row["customer_id"])
                            )

                        group.start_soon(call)
                        await anyio.sleep(0.5)  # the call is now waiting on KashFlow
                        process.send_signal(signal.SIGTERM)
                    assert results[0]["name"] == row["name"]
                with anyio.fail_after(20):
                    assert await process.wait() == 0
            finally:
                if process.returncode is None:
                    process.kill()
