"""``serve()`` and ``kashflow-mcp sandbox`` run the sandbox on loopback: where, as whom, how."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from kashflow_mcp.sandbox import create_app
from kashflow_mcp.sandbox.seed.companies import COMPANIES

from .soap import KF, answer, call

START_TIMEOUT = 20.0
SERVE = (
    "import sys; from kashflow_mcp.sandbox.server import serve; "
    "serve(port=0, db_path=sys.argv[1], username='ada', password='s3cret')"
)


def _read_lines(stream, count: int, timeout: float) -> list[str]:
    lines: list[str] = []

    def read() -> None:
        while len(lines) < count and (line := stream.readline()):
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return lines


def test_serve_prints_its_url_and_credentials_and_answers_there(tmp_path: Path):
    db = tmp_path / "served.db"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        banner = _read_lines(process.stdout, 2, START_TIMEOUT)
        text = "".join(banner)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/api/service\.asmx", text)
        assert found, text
        assert "ada" in text and "s3cret" in text
        response = httpx.post(
            found.group(0),
            content=call("GetCompanyDetails", user="ada", password="s3cret").encode(),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=10,
        )
        company = answer(response).find(f"{KF}GetCompanyDetailsResult")
        assert company is not None
        assert company.findtext(f"{KF}CompanyName") == "Kestrel Print & Design Ltd"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
    assert db.exists()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "kashflow_mcp", "sandbox", "--port", "0", *args]


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


def test_the_sandbox_command_serves_the_company_asked_for_with_its_credentials(
    private_data_dir: Path,
):
    process = subprocess.Popen(
        _cli("--company", "harbour"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        text = "".join(_read_lines(process.stdout, 2, START_TIMEOUT))
        found = re.search(r"http://127\.0\.0\.1:(\d+)/api/service\.asmx", text)
        assert found, text
        assert "Harbour Lights Cafe Ltd" in text
        assert "Username: harbour  Password: sandbox-harbour" in text
        # Each company keeps its books in a file of its own unless told otherwise.
        assert "sandbox-harbour.db" in text
        response = httpx.post(
            found.group(0),
            content=call("GetCompanyDetails", user="harbour", password="sandbox-harbour").encode(),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=10,
        )
        company = answer(response).find(f"{KF}GetCompanyDetailsResult")
        assert company is not None
        assert company.findtext(f"{KF}CompanyName") == "Harbour Lights Cafe Ltd"
    finally:
        _stop(process)
    assert (private_data_dir / "kashflow-mcp" / "sandbox-harbour.db").exists()
    assert not (private_data_dir / "kashflow-mcp" / "sandbox.db").exists()


def _refused(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_cli(*args), capture_output=True, text=True, timeout=60)


def test_the_sandbox_command_refuses_another_companys_books_in_one_line(tmp_path: Path):
    books = tmp_path / "harbour.db"
    create_app(books, company="harbour").state.store.close()

    done = _refused("--db", str(books))  # Kestrel, the default

    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""
    assert "Harbour Lights Cafe Ltd" in done.stderr
    assert "--company harbour" in done.stderr and "--db" in done.stderr


def test_the_sandbox_command_names_the_companies_when_asked_for_one_it_lacks(tmp_path: Path):
    done = _refused("--company", "lighthouse", "--db", str(tmp_path / "never.db"))

    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "'lighthouse'" in done.stderr and ", ".join(COMPANIES) in done.stderr
    assert not (tmp_path / "never.db").exists()


def test_the_sandbox_commands_help_names_every_company():
    done = subprocess.run(
        [sys.executable, "-m", "kashflow_mcp", "sandbox", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0
    assert all(key in done.stdout for key in COMPANIES)
