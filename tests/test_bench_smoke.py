"""The benchmark scripts run and write their results (a smoke run: no time is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(240)
def test_the_benchmark_smoke_run_writes_a_results_table(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=200,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = out.read_text()
    assert "| figure | ours | anchor | ratio | target | met? |" in results
    for figure in ("cold start", "tools/list", "next page", "calls/s"):
        assert figure in results
