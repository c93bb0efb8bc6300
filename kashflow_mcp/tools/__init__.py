"""The tools: one package per area (its ``__init__`` declares the area's tools, its other
modules hold their handlers and mapping), the mechanics they share in ``core``, Invoice-shaped
documents in ``documents``, and the registry of them all.

Adding an area means one package here, its toolset in ``toolsets`` (or an existing one) and its
list in ``registry``. Declarations import only ``base`` and ``toolsets``: listing the tools
must not load their code (``tests/server/test_start_up.py``).
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
