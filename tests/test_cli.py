"""The command line: start-up errors a user can act on, the catalogue, doctor, the demo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kashflow_mcp.cli import _parser, main, settings_from


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KASHFLOW")}
    return subprocess.run(
        [sys.executable, "-m", "kashflow_mcp", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**clean, **(env or {})},
    )


def test_serving_live_without_credentials_is_a_clear_start_up_error() -> None:
    done = run("serve")
    assert done.returncode == 2 and done.stdout == ""
    assert "KASHFLOW_USERNAME and KASHFLOW_PASSWORD" in done.stderr and "--sandbox" in done.stderr


def test_an_unknown_tool_name_stops_start_up(tmp_path: Path) -> None:
    done = run("serve", "--sandbox", "--sandbox-db", str(tmp_path / "b.db"), "--tools", "nope")
    assert done.returncode == 2 and "unknown tool name(s): nope" in done.stderr


def test_an_unknown_allowed_operation_stops_start_up(tmp_path: Path) -> None:
    args = ("serve", "--sandbox", "--sandbox-db", str(tmp_path / "b.db"))
    done = run(*args, "--allow-operation", "SendAllTheMoney")
    assert done.returncode == 2 and "unknown KashFlow operation" in done.stderr


def test_http_beyond_loopback_without_a_token_refuses_to_start(tmp_path: Path) -> None:
    done = run(
        "serve", "--sandbox", "--sandbox-db", str(tmp_path / "b.db"),
        "--transport", "http", "--host", "0.0.0.0",
    )  # fmt: skip
    assert done.returncode == 2 and "without a bearer token" in done.stderr


MAKE_A_TOKEN = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


@pytest.mark.parametrize(
    ("flags", "env"),
    [
        ((), {"KASHFLOW_MCP_TOKEN": ""}),
        (("--auth-token", ""), {}),
        (("--auth-token", "   "), {}),
    ],
    ids=["empty-env", "empty-flag", "blank-flag"],
)
def test_an_empty_token_is_no_token_so_an_open_bind_refuses_to_start(
    tmp_path: Path, flags: tuple[str, ...], env: dict[str, str]
) -> None:
    done = run(
        "serve", "--sandbox", "--sandbox-db", str(tmp_path / "b.db"),
        "--transport", "http", "--host", "0.0.0.0", "--port", "0", *flags,
        env=env, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2 and "without a bearer token" in done.stderr
    assert MAKE_A_TOKEN in done.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1"])
def test_a_short_token_refuses_to_start_and_says_how_to_make_one(tmp_path: Path, host: str) -> None:
    done = run(
        "serve", "--sandbox", "--sandbox-db", str(tmp_path / "b.db"),
        "--transport", "sse", "--host", host, "--port", "0", "--auth-token", "hunter",
        timeout=30,
    )  # fmt: skip
    assert done.returncode == 2
    assert "6 characters long; it must have at least 32" in done.stderr
    assert MAKE_A_TOKEN in done.stderr and "hunter" not in done.stderr


def test_session_limits_come_from_flags_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KASHFLOW_MAX_SESSIONS", "7")
    monkeypatch.setenv("KASHFLOW_SESSION_IDLE_TIMEOUT", "90")
    from_env = settings_from(_parser().parse_args(["serve"]))
    flags = ["serve", "--max-sessions", "3", "--session-idle-timeout", "30"]
    from_flags = settings_from(_parser().parse_args(flags))
    assert (from_env.max_sessions, from_env.session_idle_timeout) == (7, 90)
    assert (from_flags.max_sessions, from_flags.session_idle_timeout) == (3, 30)


def test_tools_prints_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tools", "--read-only"]) == 0
    out = capsys.readouterr().out
    assert "list_customers  (List customers; read)" in out
    assert "delete_customer" not in out


def test_a_reader_that_closes_the_pipe_early_ends_the_catalogue_quietly() -> None:
    """``kashflow-mcp tools | head``: no traceback, and the status a shell gives SIGPIPE."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KASHFLOW")}
    child = subprocess.Popen(
        [sys.executable, "-m", "kashflow_mcp", "tools"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean,
    )
    assert child.stdout is not None
    child.stdout.close()  # before it writes a line: every write meets a closed pipe
    try:
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    assert stderr.decode() == ""
    assert child.returncode == 128 + signal.SIGPIPE


def test_doctor_signs_in_to_the_sandbox(tmp_path: Path) -> None:
    done = run("doctor", "--sandbox", "--sandbox-db", str(tmp_path / "b.db"))
    assert done.returncode == 0 and "OK: signed in" in done.stdout


def test_doctor_names_the_problem_when_kashflow_cannot_be_reached() -> None:
    env = {
        "KASHFLOW_USERNAME": "me",
        "KASHFLOW_PASSWORD": "canary-password-123",
        "KASHFLOW_API_URL": "http://127.0.0.1:9/api",
        "KASHFLOW_CALL_DEADLINE": "2",
    }
    done = run("doctor", env=env)
    assert done.returncode == 1 and "KashFlow could not be reached" in done.stdout
    assert "canary-password-123" not in done.stdout + done.stderr


def test_the_demo_session_runs_end_to_end(tmp_path: Path) -> None:
    done = run("demo", "--sandbox-db", str(tmp_path / "demo.db"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for step in ("create_customer", "create_invoice", "delete_invoice", "delete_customer"):
        assert f"-> {step}" in done.stdout
    assert "status: deleted" in done.stdout and "all calls succeeded" in done.stdout
