"""list_accounts: the KashFlow accounts this server keeps the books of (on whenever several)."""

from __future__ import annotations

from ..schemas import accounts as ac
from .base import Kind, ToolEnv, ToolResult, ToolSpec
from .core.render import table
from .toolsets import ACCOUNTS


async def list_accounts(args: ac.ListAccountsArgs, env: ToolEnv) -> ToolResult:
    rows = [
        ac.AccountRow(account=info.name, title=info.title, read_only=info.read_only)
        for info in env.accounts
    ]
    data = ac.AccountList(accounts=rows)
    return ToolResult(data, "\n".join([f"{len(rows)} accounts", *table(rows)]))


ACCOUNT_TOOLS = (
    ToolSpec(
        name="list_accounts",
        title="List the accounts",
        description="The companies whose books this server keeps: pass one as account to every "
        "other tool.",
        args=ac.ListAccountsArgs,
        result=ac.AccountList,
        handler=list_accounts,
        toolset=ACCOUNTS,
        kind=Kind.READ,
    ),
)
