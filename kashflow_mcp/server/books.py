"""Naming whose books a call touches, on a server that keeps several KashFlow accounts.

Every tool then takes a required ``account``, the enum of the configured names with their
titles in its description, and every answer names it: ``account`` in the structured content
and the first line of the text, so a transcript always shows whose books were touched. A
server of one account shows none of this: its tools are unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from ..tools.base import AccountInfo


class AccountArgument:
    def __init__(self, accounts: Sequence[AccountInfo]) -> None:
        self._titles = {account.name: account.title for account in accounts}
        self._names = ", ".join(self._titles)

    def arguments(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A tool's argument schema with ``account`` first, required."""
        whose = "; ".join(f"{name} = {title}" for name, title in self._titles.items())
        shown = copy.deepcopy(schema)
        account = {
            "type": "string",
            "enum": list(self._titles),
            "description": f"Whose books: {whose}.",
        }
        shown["properties"] = {"account": account, **shown.get("properties", {})}
        shown["required"] = ["account", *shown.get("required", [])]
        return shown

    def result(self, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if schema is None:
            return None
        named = copy.deepcopy(schema)
        named["properties"] = {"account": {"type": "string"}, **named.get("properties", {})}
        return named

    def split(self, arguments: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The account a call names, and the rest of its arguments; refused when it names none."""
        name = arguments.get("account")
        if name is None:
            raise ToolError(
                f"Invalid arguments: account: required, one of {self._names} (see list_accounts)."
            )
        if not isinstance(name, str) or name not in self._titles:
            raise ToolError(f"Invalid arguments: account: {name!r} is not one of {self._names}.")
        return name, {key: value for key, value in arguments.items() if key != "account"}

    def heading(self, name: str) -> str:
        return f"account: {name} ({self._titles[name]})"
