"""Every tool and toolset, and choosing which of them a server offers - in one place.

Selection happens in a fixed order: the toolsets (``--toolsets``: names, ``default``, ``all``),
and of their tools only those whose restricted operations the operator allowed
(``--allow-operation``: a tool that sends mail is never on by default), then ``--tools`` (keep
only these, from those), then ``--exclude-tools``, then read-only mode (drop everything that
writes; the generic call stays and refuses writes itself). An unknown name stops start-up,
listing the known ones, and so does naming a tool the earlier steps left out, rather than
silently offering more, or less, than the operator meant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .accounts import ACCOUNT_TOOLS
from .api_call import API_CALL_TOOLS
from .base import Toolset, ToolSpec
from .credit_notes import CREDIT_NOTE_TOOLS
from .customers import CUSTOMER_TOOLS
from .debtors import DEBTOR_TOOLS
from .invoices import INVOICE_TOOLS
from .notes import NOTE_TOOLS
from .payments import PAYMENT_TOOLS
from .toolsets import ACCOUNTS, TOOLSETS

ALL_TOOLS: tuple[ToolSpec, ...] = (
    *CUSTOMER_TOOLS,
    *INVOICE_TOOLS,
    *PAYMENT_TOOLS,
    *DEBTOR_TOOLS,
    *CREDIT_NOTE_TOOLS,
    *NOTE_TOOLS,
    *API_CALL_TOOLS,
    *ACCOUNT_TOOLS,
)
EVERY_ALLOWANCE: tuple[str, ...] = tuple(
    sorted({operation for spec in ALL_TOOLS for operation in spec.needs_allowing})
)
"""The restricted operations an operator must allow for every tool to be offered."""
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
    accounts: int = 1,
    allowed_operations: Iterable[str] = (),
) -> list[ToolSpec]:
    """The tools a server offers, chosen in the fixed order this module describes. The
    ``accounts`` toolset is there exactly when the server keeps several accounts' books."""
    keep, drop, allowed = set(tools), set(exclude), set(allowed_operations)
    known = {spec.name: spec for spec in ALL_TOOLS}
    unknown = sorted((keep | drop) - set(known))
    if unknown:
        raise SelectionError(
            f"unknown tool name(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    on = {toolset.name for toolset in chosen_toolsets(toolsets)} - {ACCOUNTS.name}
    if accounts > 1:
        on.add(ACCOUNTS.name)
    outside = sorted(name for name in keep if known[name].toolset.name not in on)
    if outside:
        name = outside[0]
        if known[name].toolset is ACCOUNTS:
            raise SelectionError(
                f"{name} is offered only on a server of several accounts (--accounts); this "
                "one keeps one account's books"
            )
        raise SelectionError(
            f"{name} is in toolset {known[name].toolset.name}, which is not enabled; add it to "
            "--toolsets (KASHFLOW_TOOLSETS)"
        )
    withheld = sorted(name for name in keep if not known[name].offered_with(allowed))
    if withheld:
        spec = known[withheld[0]]
        needed = [op for op in spec.needs_allowing if op not in allowed]
        raise SelectionError(
            f"{spec.name} is offered only when the operator allows {', '.join(needed)}; add "
            f"--allow-operation {needed[0]} (KASHFLOW_ALLOW_OPERATIONS)"
        )
    return [
        spec
        for spec in ALL_TOOLS
        if spec.toolset.name in on
        and spec.offered_with(allowed)
        and (not keep or spec.name in keep)
        and spec.name not in drop
        and not (read_only and spec.hidden_when_read_only)
    ]


def hidden_operations(
    selected: Sequence[ToolSpec],
    every: Sequence[ToolSpec] = ALL_TOOLS,
    allowed_operations: Iterable[str] = (),
) -> dict[str, str]:
    """Operations only turned-off tools perform -> the tool that would (call_kashflow_api
    refuses them); one a tool still on performs stays allowed. A tool withheld because the
    operator did not allow its restricted operation is not turned off: call_kashflow_api
    refuses that operation as restricted."""
    shown, allowed = {spec.name for spec in selected}, set(allowed_operations)
    visible = {op for spec in selected for op in spec.operations}
    return {
        op: spec.name
        for spec in every
        if spec.name not in shown and spec.offered_with(allowed)
        for op in spec.operations
        if op not in visible
    }
