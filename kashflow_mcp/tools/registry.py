"""Every tool and toolset, and choosing which of them a server offers - in one place.

Selection happens in a fixed order: the toolsets (``--toolsets``: names, ``default``, ``all``),
then ``--tools`` (keep only these, from those toolsets), then ``--exclude-tools``, then
read-only mode (drop everything that writes; the generic call stays and refuses writes itself).
An unknown name stops start-up, listing the known ones, rather than silently offering more,
or less, than the operator meant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .api_call import API_CALL_TOOLS
from .base import Toolset, ToolSpec
from .customers import CUSTOMER_TOOLS
from .debtors import DEBTOR_TOOLS
from .invoices import INVOICE_TOOLS
from .toolsets import TOOLSETS

ALL_TOOLS: tuple[ToolSpec, ...] = (
    *CUSTOMER_TOOLS,
    *INVOICE_TOOLS,
    *DEBTOR_TOOLS,
    *API_CALL_TOOLS,
)
DEFAULT, EVERY = "default", "all"


class SelectionError(ValueError):
    """The operator named a tool or toolset that does not exist, or one outside the selection."""


def chosen_toolsets(names: Iterable[str] = ()) -> list[Toolset]:
    """The toolsets ``names`` picks (``default`` and ``all`` included); none named: the default."""
    wanted = set(names) or {DEFAULT}
    known = {toolset.name for toolset in TOOLSETS}
    unknown = sorted(wanted - known - {DEFAULT, EVERY})
    if unknown:
        listed = ", ".join([*sorted(known), DEFAULT, EVERY])
        raise SelectionError(f"unknown toolset(s): {', '.join(unknown)}; known: {listed}")
    return [
        toolset
        for toolset in TOOLSETS
        if EVERY in wanted or toolset.name in wanted or (DEFAULT in wanted and toolset.default)
    ]


def select(
    *,
    toolsets: Iterable[str] = (),
    tools: Iterable[str] = (),
    exclude: Iterable[str] = (),
    read_only: bool = False,
) -> list[ToolSpec]:
    """The tools a server offers, chosen in the fixed order this module describes."""
    keep, drop = set(tools), set(exclude)
    known = {spec.name: spec for spec in ALL_TOOLS}
    unknown = sorted((keep | drop) - set(known))
    if unknown:
        raise SelectionError(
            f"unknown tool name(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    on = {toolset.name for toolset in chosen_toolsets(toolsets)}
    outside = sorted(name for name in keep if known[name].toolset.name not in on)
    if outside:
        name = outside[0]
        raise SelectionError(
            f"{name} is in toolset {known[name].toolset.name}, which is not enabled; add it to "
            "--toolsets (KASHFLOW_TOOLSETS)"
        )
    return [
        spec
        for spec in ALL_TOOLS
        if spec.toolset.name in on
        and (not keep or spec.name in keep)
        and spec.name not in drop
        and not (read_only and spec.hidden_when_read_only)
    ]


def hidden_operations(
    selected: Sequence[ToolSpec], every: Sequence[ToolSpec] = ALL_TOOLS
) -> dict[str, str]:
    """Operations only turned-off tools perform -> the tool that would (call_kashflow_api
    refuses them); one a tool still on performs stays allowed."""
    shown = {spec.name for spec in selected}
    visible = {op for spec in selected for op in spec.operations}
    return {
        op: spec.name
        for spec in every
        if spec.name not in shown
        for op in spec.operations
        if op not in visible
    }
