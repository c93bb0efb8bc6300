"""``serve()`` runs the sandbox on loopback and says where, and with which credentials."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx

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
