"""list_accounts: the KashFlow accounts this server keeps the books of (on whenever several).
Declared here as the model sees it; the handler is in ``listing``."""

from __future__ import annotations

from ..base import Kind, ToolSpec
from ..toolsets import ACCOUNTS

ACCOUNT_TOOLS = (
    ToolSpec(
        name="list_accounts",
        title="List the accounts",
        description="The companies whose books this server keeps: pass one as account to every "
        "other tool.",
        runs="accounts.listing:list_accounts",
        toolset=ACCOUNTS,
        kind=Kind.READ,
    ),
)
