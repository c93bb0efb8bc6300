"""``make bench``: measure every figure against its anchors and write ``bench/RESULTS.md``.

    python -m bench.run [--smoke] [--repeats N] [--out bench/RESULTS.md]

``--smoke`` proves the scripts work (seconds, a small account) and marks its file as not
meaningful; CI runs it and never asserts a time. Progress goes to stderr, a summary to stdout.
Missed targets do not fail the run; a figure that cannot be measured does.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .budgets import budgets
from .figures import Figure, Plan, Shared, cold_start
from .large import large_account
from .measure import ROOT, BenchError, cpu_snapshot, use_bytecode_cache
from .per_tool import ToolTable, per_tool
from .report import progress, render, summary, write
from .soap import sandbox

DEFAULT_OUT = ROOT / "bench" / "RESULTS.md"


def measure(plan: Plan) -> tuple[list[Figure], ToolTable, list[str]]:
    shared = Shared()
    with tempfile.TemporaryDirectory(prefix="kashflow-bench-") as scratch:
        use_bytecode_cache(Path(scratch) / "pycache")
        progress("starting the demo sandbox")
        with sandbox(Path(scratch) / "demo.db") as box:
            progress("cold start and idle memory")
            cold, idle, first_call = cold_start(plan, box, shared)
        progress("tools/list budgets")
        sizes = budgets(shared)
        progress(f"every tool's scenarios at {plan.latency * 1000:g} ms per KashFlow call")
        tools = per_tool(plan, shared.notes)
        progress(f"building a {plan.scale:,}-customer sandbox")
        big_db = Path(scratch) / "large.db"
        with sandbox(big_db, scale=plan.scale) as big:
            progress("first and next pages on the large account")
            first_page, peak, next_page, model_bytes = large_account(plan, big, shared)
    # Table order: start-up, memory, the first call, what the model reads, then the large account.
    figures = [cold, idle, first_call, model_bytes, *sizes, first_page, peak, next_page]
    return figures, tools, shared.notes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a fast run that proves it works")
    parser.add_argument("--repeats", type=int, help="starts and first pages per side")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    plan = Plan.make(args.smoke, args.repeats)
    for name in [name for name in os.environ if name.startswith("KASHFLOW_")]:
        del os.environ[name]  # the servers measured in this process run on defaults too
    busy_before, mine_before = cpu_snapshot()
    started = time.monotonic()
    try:
        figures, tools, notes = measure(plan)
    except BenchError as exc:
        sys.stderr.write(f"bench: could not measure: {exc}\n")
        return 1
    elapsed = time.monotonic() - started
    busy_after, mine_after = cpu_snapshot()
    others = max(0.0, (busy_after - busy_before) - (mine_after - mine_before))
    write(args.out, render(plan, figures, tools, notes, elapsed, others))
    sys.stdout.write(summary(figures, tools))
    sys.stdout.write(f"wrote {args.out} in {elapsed:.0f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
