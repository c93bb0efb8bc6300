"""The tools/list budgets: what the model must read before it can call anything.

Measured as ``tests/server/test_tool_list.py`` measures them (``server/listing.py``): the tools
array as compact UTF-8 JSON, for the default toolsets, each toolset alone, and everything.
"""

from __future__ import annotations

import anyio

from kashflow_mcp.config import Settings
from kashflow_mcp.server.listing import listing_for, size_of
from kashflow_mcp.tools import EVERY_ALLOWANCE, TOOLSETS
from kashflow_mcp.tools.toolsets import ACCOUNTS

from .figures import Figure, Shared

KB = 1024
DEFAULT_BUDGET, TOOLSET_BUDGET, EVERYTHING_BUDGET = 24 * KB, 8 * KB, 64 * KB


def _selections() -> list[tuple[str, list[str], int]]:
    """(what, the --toolsets that selects it, its budget), in the order reported."""
    return [
        ("the default toolsets", ["default"], DEFAULT_BUDGET),
        *((f"toolset {t.name} alone", [t.name], TOOLSET_BUDGET) for t in TOOLSETS),
        ("everything", ["all"], EVERYTHING_BUDGET),
    ]


async def _measure() -> list[tuple[str, list[str], int, int, int]]:
    measured = []
    for what, toolsets, budget in _selections():
        # Beyond the defaults, the tools only an allowance offers count too, as in the tests.
        allowing = [] if toolsets == ["default"] else list(EVERY_ALLOWANCE)
        settings = Settings(toolsets=toolsets, allow_operations=allowing)
        if toolsets == [ACCOUNTS.name]:  # there only on a server of several: measured on two
            listed = await listing_for(settings, accounts=2)
            entries = [entry for entry in listed if entry["name"] == "list_accounts"]
        else:
            entries = await listing_for(settings)
        measured.append((what, toolsets, size_of(entries), len(entries), budget))
    return measured


def budgets(shared: Shared) -> list[Figure]:
    figures = []
    for what, toolsets, size, tools, budget in anyio.run(_measure):
        selection = f"`--toolsets {','.join(toolsets)}`"
        if not figures:
            how = (
                "The `tools` array of tools/list as compact UTF-8 JSON (no spaces), built by "
                "`listing_for(Settings(toolsets=[...]))` (`kashflow_mcp/server/listing.py`), "
                f"here with {selection}: how the tests measure the same budgets. The server "
                "started over stdio for the cold start listed "
                f"{shared.stdio_tools_list_bytes:,} B by default."
            )
        else:
            how = f"As above, with {selection}."
        figures.append(
            Figure(
                f"tools/list, {what}",
                f"{size:,} B ({tools} tools)",
                f"{budget:,} B budget",
                f"{size / budget:.2f} × budget",
                f"≤ {budget // KB} KB",
                size <= budget,
                how,
            )
        )
    return figures
