"""Which KashFlow accounts one server keeps the books of: an accountant's practice has many.

An accounts file (TOML) names each account, its title and its login; the password comes from
the environment, never the file:

    [accounts.acme]
    title = "Acme Print Ltd"
    username = "acme-api@example.com"
    password_env = "ACME_KASHFLOW_PASSWORD"
    read_only = true                    # optional
    api_url = "https://…"               # optional: a sandbox or a proxy

Without a file, the single-account settings (KASHFLOW_USERNAME, KASHFLOW_PASSWORD, …) make one
account named ``default``. Anything wrong with the file stops start-up with one line saying
what and how to fix it: a file others can read, a password written into it, a variable not
set, a name that is not a plain lower-case word, a key that is not one of these.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from .config import Settings

DEFAULT = "default"
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_KEYS = frozenset({"title", "username", "password_env", "read_only", "api_url"})
_SECRETS = frozenset({"password", "api_password", "secret"})


class AccountsError(ValueError):
    """The accounts cannot be used as configured; the message is one line saying why."""


@dataclass(frozen=True)
class Account:
    name: str
    title: str
    username: str
    password: SecretStr
    read_only: bool = False
    api_url: str | None = None
    """None: the server's own setting (KashFlow itself, by default)."""

    def __repr__(self) -> str:
        return f"Account({self.name!r}, {self.title!r})"


def default_accounts_file() -> Path:
    from platformdirs import user_config_path  # only when a default path is actually needed

    return user_config_path("kashflow-mcp", appauthor=False) / "accounts.toml"


def accounts_file(settings: Settings) -> Path | None:
    """The accounts file to read: the one named, else the default one if it exists."""
    if settings.accounts is not None:
        return settings.accounts
    found = default_accounts_file()
    return found if found.is_file() else None


def load_accounts(path: Path, environ: dict[str, str] | None = None) -> list[Account]:
    """The accounts a file configures, checked; AccountsError on the first thing wrong."""
    environ = dict(os.environ) if environ is None else environ
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AccountsError(f"cannot read the accounts file {path}: {exc.strerror}") from None
    if mode & (stat.S_IRGRP | stat.S_IROTH | stat.S_IWGRP | stat.S_IWOTH):
        raise AccountsError(
            f"the accounts file {path} can be read or changed by other users: chmod 600 {path}"
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # a name given twice is one of these
        raise AccountsError(f"the accounts file {path} is not valid TOML: {exc}") from None
    tables = data.get("accounts")
    extra = sorted(set(data) - {"accounts"})
    if extra:
        raise AccountsError(f"{path}: unknown section {extra[0]}; accounts go in [accounts.NAME]")
    if not isinstance(tables, dict) or not tables:
        raise AccountsError(f"{path} configures no account: add an [accounts.NAME] table")
    return [_account(name, table, environ, path) for name, table in tables.items()]


def _account(name: str, table: Any, environ: dict[str, str], path: Path) -> Account:
    where = f"{path}: account {name!r}"
    if not _NAME.fullmatch(name):
        raise AccountsError(
            f"{where}: a name is lower-case letters, digits, - or _, starting with a letter"
        )
    if not isinstance(table, dict):
        raise AccountsError(f"{where} must be a table of settings")
    written = sorted(_SECRETS & set(table))
    if written:
        raise AccountsError(
            f"{where}: the password must not be written in the file; remove {written[0]} and "
            "name the environment variable that holds it with password_env"
        )
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise AccountsError(
            f"{where}: unknown setting {unknown[0]}; known: {', '.join(sorted(_KEYS))}"
        )
    for key in ("title", "username", "password_env"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise AccountsError(f"{where}: {key} is required (text)")
    variable = table["password_env"]
    if not environ.get(variable):
        raise AccountsError(
            f"{where}: the environment variable {variable} (password_env) is not set"
        )
    read_only = table.get("read_only", False)
    api_url = table.get("api_url")
    if not isinstance(read_only, bool) or not isinstance(api_url, str | None):
        raise AccountsError(f"{where}: read_only is true or false, api_url is text")
    return Account(
        name=name,
        title=table["title"].strip(),
        username=table["username"].strip(),
        password=SecretStr(environ[variable]),
        read_only=read_only,
        api_url=api_url,
    )


def configured_accounts(settings: Settings) -> list[Account] | None:
    """The accounts of an accounts file, or None: one account from the single-account settings."""
    path = accounts_file(settings)
    return None if path is None else load_accounts(path)
