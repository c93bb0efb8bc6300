"""list_accounts: the KashFlow accounts this server keeps the books of (on whenever several)."""

from __future__ import annotations

from ...schemas import accounts as ac
from ..base import ToolEnv, ToolResult, handles
from ..core.render import table


@handles(ac.ListAccountsArgs, ac.AccountList)
async def list_accounts(args: ac.ListAccountsArgs, env: ToolEnv) -> ToolResult:
    rows = [
        ac.AccountRow(account=info.name, title=info.title, read_only=info.read_only)
        for info in env.accounts
    ]
    data = ac.AccountList(accounts=rows)
    return ToolResult(data, "\n".join([f"{len(rows)} accounts", *table(rows)]))
