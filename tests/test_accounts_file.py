"""The accounts file: each thing wrong with it stops start-up with one line saying what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from kashflow_mcp.accounts import AccountsError, load_accounts

GOOD = """
[accounts.acme]
title = "Acme Print Ltd"
username = "acme-api@example.com"
password_env = "ACME_KASHFLOW_PASSWORD"
read_only = true

[accounts.harbour]
title = "Harbour Lights Cafe"
username = "harbour@example.com"
password_env = "HARBOUR_KASHFLOW_PASSWORD"
api_url = "http://127.0.0.1:8765/api/service.asmx"
"""
ENV = {"ACME_KASHFLOW_PASSWORD": "acme-secret-1", "HARBOUR_KASHFLOW_PASSWORD": "harbour-secret-2"}


def written(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(text)
    path.chmod(mode)
    return path


def test_a_good_file_gives_each_account_its_password_from_the_environment(tmp_path: Path) -> None:
    acme, harbour = load_accounts(written(tmp_path, GOOD), ENV)
    assert (acme.name, acme.title, acme.username, acme.read_only) == (
        "acme",
        "Acme Print Ltd",
        "acme-api@example.com",
        True,
    )
    assert acme.password.get_secret_value() == "acme-secret-1" and acme.api_url is None
    assert harbour.api_url == "http://127.0.0.1:8765/api/service.asmx" and not harbour.read_only
    assert "secret" not in repr(acme)


@pytest.mark.parametrize(
    ("text", "mode", "says"),
    [
        (GOOD, 0o644, "can be read or changed by other users: chmod 600"),
        (GOOD, 0o620, "can be read or changed by other users"),
        (GOOD.replace('read_only = true', 'password = "hunter2"'), 0o600,
         "the password must not be written in the file; remove password"),
        (GOOD.replace("[accounts.harbour]", "[accounts.acme]"), 0o600, "is not valid TOML"),
        (GOOD.replace("[accounts.harbour]", "[accounts.Harbour Lights]"), 0o600,
         "is not valid TOML"),
        (GOOD.replace("[accounts.harbour]", '[accounts."Harbour"]'), 0o600,
         "a name is lower-case letters"),
        (GOOD.replace("read_only = true", "readonly = true"), 0o600, "unknown setting readonly"),
        (GOOD.replace('title = "Acme Print Ltd"\n', ""), 0o600, "title is required"),
        (GOOD.replace("read_only = true", 'read_only = "yes"'), 0o600,
         "read_only is true or false"),
        ("[accounts]\n", 0o600, "configures no account"),
        ("[account.acme]\ntitle = 'x'\n", 0o600, "unknown section account"),
    ],
)  # fmt: skip
def test_each_mistake_stops_start_up_in_one_line(
    tmp_path: Path, text: str, mode: int, says: str
) -> None:
    with pytest.raises(AccountsError) as refused:
        load_accounts(written(tmp_path, text, mode), ENV)
    assert says in str(refused.value) and "\n" not in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_a_variable_not_set_is_named(tmp_path: Path) -> None:
    with pytest.raises(
        AccountsError, match="HARBOUR_KASHFLOW_PASSWORD \\(password_env\\) is not set"
    ):
        load_accounts(written(tmp_path, GOOD), {"ACME_KASHFLOW_PASSWORD": "a"})
