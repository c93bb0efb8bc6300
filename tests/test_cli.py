"""The command line: start-up errors a user can act on, the catalogue, doctor, the demo."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import anyio
import pytest

from kashflow_mcp.cli import _parser, main, settings_from
from kashflow_mcp.server.audit import AuditLog


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
    methods = out.splitlines().index("  list_payment_methods  (List payment methods; read)")
    assert out.splitlines()[methods + 2] == "      arguments: none"


def test_tools_shows_email_invoice_only_once_emailinvoice_is_allowed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tools", "--toolsets", "invoices"]) == 0
    without = capsys.readouterr().out
    assert main(["tools", "--toolsets", "invoices", "--allow-operation", "EmailInvoice"]) == 0
    allowed = capsys.readouterr().out
    assert (
        "email_invoice" not in without and "  email_invoice  (Email an invoice; write)" in allowed
    )
    assert main(["tools", "--tools", "email_invoice"]) == 2
    assert "--allow-operation EmailInvoice" in capsys.readouterr().err


def test_tools_shows_each_toolset_and_the_bytes_the_model_reads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tools", "--toolsets", "customers,api"]) == 0
    out = capsys.readouterr().out.splitlines()
    headings = [line for line in out if line.startswith("toolset ")]
    assert [line.split()[1] for line in headings] == ["customers", "api"]
    assert all(line.endswith(" bytes") for line in headings)
    sizes = [int(line.split()[-2].replace(",", "")) for line in headings]
    total = out[-1]
    assert total.startswith("tools/list: 6 tools, ") and total.endswith(" bytes")
    # the tools array is the toolsets' tools side by side: their sizes, a comma, two brackets
    assert int(total.split()[-2].replace(",", "")) == sum(sizes) - 2 + 1


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


def a_log_of_every_kind(path: Path) -> dict[str, str]:
    """An older line, a refusal, a finished call, one that never ended, one cut short; ids."""
    older = {"time": "2025-01-01T00:00:00+00:00", "tool": "create_customer", "outcome": "done"}
    path.write_text(json.dumps(older) + "\n")  # written before attempts were logged

    async def write() -> dict[str, str]:
        log = AuditLog(path)
        await log.outcome(None, "create_invoice", {"customer_id": 1, "lines": []}, "refused")
        done = await log.attempt("create_customer", {"name": "Done Ltd"})
        await log.outcome(done, "create_customer", {"name": "Done Ltd"}, "done", ids={"code": "D"})
        hanging = await log.attempt("delete_invoice", {"invoice_number": 7})
        return {"done": done, "hanging": hanging}

    ids = anyio.run(write)
    with path.open("a") as torn:
        torn.write('{"id": "cut-short", "event": "att')
    return ids


def test_audit_lists_the_calls_that_never_ended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "audit.jsonl"
    ids = a_log_of_every_kind(log)
    assert main(["audit", "--log", str(log)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith(f"1 call(s) in {log} were attempted and never reported an outcome")
    assert "delete_invoice  invoice_number=7" in lines[1] and lines[1].endswith(
        f"(id {ids['hanging']})"
    )
    assert lines[2] == '    arguments: {"invoice_number": 7}'
    assert len(lines) == 3
    assert captured.err == f"kashflow-mcp: skipped 1 unreadable line(s) in {log}\n"


README = Path(__file__).parent.parent / "README.md"


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_readmes_jq_line_finds_the_same_calls_as_audit(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    ids = a_log_of_every_kind(log)
    command = next(line for line in README.read_text().splitlines() if line.startswith("jq "))
    *jq, named = shlex.split(command)
    assert named == "audit.jsonl"
    done = subprocess.run([*jq, str(log)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    found = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(entry["id"], entry["event"]) for entry in found] == [(ids["hanging"], "attempt")]


def test_audit_all_shows_every_call_and_how_it_ended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "elsewhere.jsonl"
    ids = a_log_of_every_kind(log)
    monkeypatch.setenv("KASHFLOW_AUDIT_LOG", str(log))  # the log serve writes is the default
    assert main(["audit", "--all"]) == 0
    calls = [line for line in capsys.readouterr().out.splitlines() if "(id " in line]
    assert ["create_customer  done  (id line 1)" in calls[0],
            "create_invoice  customer_id=1  refused" in calls[1],
            f"create_customer  done  code=D  (id {ids['done']})" in calls[2],
            "delete_invoice  invoice_number=7  NO OUTCOME" in calls[3]] == [True] * 4  # fmt: skip
    assert len(calls) == 4


def test_audit_says_so_when_every_call_ended_or_there_is_no_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def write(path: Path) -> None:
        done = await AuditLog(path).attempt("create_customer", {"name": "Done Ltd"})
        await AuditLog(path).outcome(done, "create_customer", {"name": "Done Ltd"}, "done")

    log = tmp_path / "audit.jsonl"
    anyio.run(write, log)
    assert main(["audit", "--log", str(log)]) == 0
    assert capsys.readouterr().out == f"Every call attempted in {log} has an outcome.\n"
    assert main(["audit", "--log", str(tmp_path / "missing.jsonl")]) == 2
    assert "no audit log at" in capsys.readouterr().err


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
    steps = ("aged_debtors", "create_customer", "create_invoice", "record_payment")
    for step in (*steps, "create_credit_note", "apply_credit_note", "delete_invoice"):
        assert f"-> {step}" in done.stdout
    assert "-> delete_customer" in done.stdout and "it now has GBP 161.00 due" in done.stdout
    assert "status: applied; amount_applied: 15.00" in done.stdout
    assert "status: deleted" in done.stdout and "all calls succeeded" in done.stdout


def test_sandbox_books_from_a_newer_version_are_a_clear_start_up_error(tmp_path: Path) -> None:
    books = tmp_path / "newer.db"
    with sqlite3.connect(books) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema', '999')")
    done = run("serve", "--sandbox", "--sandbox-db", str(books))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "schema version 999" in done.stderr and "--sandbox-db" in done.stderr


def test_sandbox_books_of_another_demo_company_are_a_clear_start_up_error(tmp_path: Path) -> None:
    from kashflow_mcp.sandbox import create_app

    books = tmp_path / "harbour.db"
    create_app(books, company="harbour").state.store.close()
    done = run("serve", "--sandbox", "--sandbox-db", str(books))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Harbour Lights Cafe Ltd" in done.stderr and "--sandbox-db" in done.stderr
