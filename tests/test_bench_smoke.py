"""The benchmark scripts run and write their results (a smoke run: no time is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kashflow_mcp.tools import ALL_TOOLS

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
    for figure in (
        "cold start",
        "idle memory",
        "the first tool call after start-up",
        "what the model reads",
        "tools/list, the default toolsets",
        "tools/list, toolset customers alone",
        "tools/list, everything",
        "peak RSS",
        "the next page",
    ):
        assert f"| {figure}" in results, figure
    assert "| tool | scenario | KashFlow calls | in a row | wall time |" in results
    # Every tool is timed, none is left without a scenario; list_accounts is offered only on a
    # server of several accounts and asks KashFlow nothing.
    for spec in ALL_TOOLS:
        if spec.name != "list_accounts":
            assert f"\n| {spec.name} | {spec.name}" in results, spec.name
    assert "no scenario" not in results
