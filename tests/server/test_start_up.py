"""What a server loads before its first call: the declarations of its tools, not their code.

Listing the tools needs only what each is declared with (``tools/<area>/__init__.py``) and the
schemas shipped ready-made, so ``kashflow-mcp serve`` answers tools/list without importing any
area's handlers, models, client API or KashFlow records: an area is imported on the first call
of one of its tools. The modules a real server process imported are read from Python's own
``-X importtime`` report.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from ..support import INITIALIZE

# An area's code: its tool handlers (not its declarations, not the shared core), its models
# (not the common values they share), the client's API for it, the wire records.
AREA_CODE = re.compile(
    r"kashflow_mcp\.("
    r"tools\.(?!core\.)\w+\.\w+"
    r"|schemas\.(?!common$|values$)\w+"
    r"|kashflow\.api\.\w+"
    r"|kashflow\.wire\.records"
    r")$"
)
REQUESTS = [
    INITIALIZE,
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


def modules_loaded_to_list_tools(*flags: str) -> tuple[set[str], list[str]]:
    """The modules ``kashflow-mcp serve`` imported by the time stdin closed after tools/list,
    and the tools it listed. KashFlow is never called: the address leads nowhere."""
    env = {
        **os.environ,
        "KASHFLOW_API_URL": "http://127.0.0.1:9/service.asmx",
        "KASHFLOW_USERNAME": "someone",
        "KASHFLOW_PASSWORD": "not-a-real-password",
    }
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kashflow_mcp", "serve", *flags],
        input="".join(json.dumps(message) + "\n" for message in REQUESTS),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    listed = json.loads(done.stdout.splitlines()[-1])["result"]["tools"]
    loaded = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return loaded, [tool["name"] for tool in listed]


def test_a_server_lists_every_tool_without_loading_any_area_s_code() -> None:
    loaded, listed = modules_loaded_to_list_tools(
        "--toolsets", "all", "--allow-operation", "EmailInvoice"
    )
    assert {"list_customers", "email_invoice", "aged_debtors", "call_kashflow_api"} <= set(listed)
    assert {"kashflow_mcp.tools.customers", "kashflow_mcp.tools.invoices"} <= loaded
    assert sorted(module for module in loaded if AREA_CODE.match(module)) == []


def test_the_pattern_recognises_an_area_s_code() -> None:
    """The check above is only as good as this pattern: it must see each kind of area code."""
    code = [
        "kashflow_mcp.tools.customers.handlers",
        "kashflow_mcp.tools.invoices.lists",
        "kashflow_mcp.schemas.invoices",
        "kashflow_mcp.kashflow.api.customers",
        "kashflow_mcp.kashflow.wire.records",
    ]
    shared = [
        "kashflow_mcp.tools.customers",
        "kashflow_mcp.tools.core.reconcile",
        "kashflow_mcp.tools.base",
        "kashflow_mcp.schemas.common",
        "kashflow_mcp.kashflow.api",
    ]
    assert [m for m in code if AREA_CODE.match(m)] == code
    assert [m for m in shared if AREA_CODE.match(m)] == []
