"""The tools: one module per area (its specs, handlers and mapping), the mechanics they share
in ``core``, Invoice-shaped documents in ``documents``, and the registry of them all.

Adding an area means one module here, its toolset in ``toolsets`` and its list in ``registry``.
"""

from .base import Kind, ToolEnv, ToolFailure, ToolResult, Toolset, ToolSpec
from .registry import ALL_TOOLS, EVERY_ALLOWANCE, SelectionError, hidden_operations, select
from .toolsets import TOOLSETS

__all__ = [
    "ALL_TOOLS",
    "EVERY_ALLOWANCE",
    "TOOLSETS",
    "Kind",
    "SelectionError",
    "ToolEnv",
    "ToolFailure",
    "ToolResult",
    "ToolSpec",
    "Toolset",
    "hidden_operations",
    "select",
]
