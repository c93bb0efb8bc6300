"""``make bench``: measure every figure against its anchors and write ``bench/RESULTS.md``.

    python -m bench.run [--smoke] [--repeats N] [--out bench/RESULTS.md]

``--smoke`` proves the scripts work (seconds, a small account) and marks its file as not
meaningful; CI runs it and never asserts a time. Progress goes to stderr, a summary to stdout.
Missed targets do not fail the run; a figure that cannot be measured does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .figures import Figure, Plan, Shared, cold_start, round_trip
from .http_load import http_throughput
from .large import large_account
from .measure import ROOT, BenchError, cpu_snapshot, use_bytecode_cache
from .report import progress, render, summary, write
from .soap import sandbox

DEFAULT_OUT = ROOT / "bench" / "RESULTS.md"


def measure(plan: Plan) -> tuple[list[Figure], list[str]]:
    shared = Shared()
    with tempfile.TemporaryDirectory(prefix="kashflow-bench-") as scratch:
        use_bytecode_cache(Path(scratch) / "pycache")
        progress("starting the demo sandbox")
        with sandbox(Path(scratch) / "demo.db") as box:
            progress("cold start, idle memory and tools/list")
            starts = cold_start(plan, box, shared)
            progress("get_customer round trips over stdio")
            trip = round_trip(plan, box, shared)
            progress("HTTP throughput")
            http = http_throughput(plan, box)
        progress(f"building a {plan.scale:,}-customer sandbox")
        big_db = Path(scratch) / "large.db"
        with sandbox(big_db, scale=plan.scale) as big:
            progress("first and next pages on the large account")
            large = large_account(plan, big, shared)
    # Table order: start-up, memory, one call, load, bytes, then the large account.
    cold, idle, tools_list = starts
    first_page, peak, next_page, model_bytes = large
    figures = [cold, idle, trip, *http, model_bytes, tools_list, first_page, peak, next_page]
    return figures, shared.notes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a fast run that proves it works")
    parser.add_argument("--repeats", type=int, help="starts and first pages per side")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    plan = Plan.make(args.smoke, args.repeats)
    busy_before, mine_before = cpu_snapshot()
    started = time.monotonic()
    try:
        figures, notes = measure(plan)
    except BenchError as exc:
        sys.stderr.write(f"bench: could not measure: {exc}\n")
        return 1
    elapsed = time.monotonic() - started
    busy_after, mine_after = cpu_snapshot()
    others = max(0.0, (busy_after - busy_before) - (mine_after - mine_before))
    write(args.out, render(plan, figures, notes, elapsed, others))
    sys.stdout.write(summary(figures))
    sys.stdout.write(f"wrote {args.out} in {elapsed:.0f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
