"""The machine a run happened on, and ``bench/RESULTS.md``.

Ratios only mean something next to the machine and the date they were measured on, so both
head the file; each figure's method follows the table, written by the code that measured it so
the two cannot drift apart.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from .figures import Figure, Plan
from .per_tool import ALLOWANCE, ToolRow, ToolTable


def _first(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            for line in source:
                name, _, value = line.partition(":" if ":" in line else "=")
                if name.strip() == key:
                    return value.strip().strip('"')
    except OSError:
        pass
    return ""


def machine() -> str:
    cpu = _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"
    memory_kb = _first("/proc/meminfo", "MemTotal").split()
    memory = f", {int(memory_kb[0]) / 1024**2:.1f} GiB RAM" if memory_kb else ""
    system = _first("/etc/os-release", "PRETTY_NAME") or platform.system()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("mcp", "httpx", "pydantic", "uvicorn")
    )
    return (
        f"{cpu}, {cores} cores{memory}; {system} (kernel {platform.release()}); "
        f"Python {platform.python_version()}; {versions}"
    )


def _plan_text(plan: Plan) -> str:
    return (
        f"{plan.repeats} starts and first pages per side, a {plan.scale:,}-customer account "
        "(sandbox served by `kashflow-mcp sandbox`), every tool scenario timed "
        f"{plan.latency_runs} times at {plan.latency * 1000:g} ms per KashFlow call"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _met(figure: Figure | ToolRow) -> str:
    return "—" if figure.met is None else ("yes" if figure.met else "**no**")


def _tool_lines(plan: Plan, tools: ToolTable) -> list[str]:
    latency = f"{plan.latency * 1000:g} ms"
    lines = [
        f"## Round trips per tool, and wall time at {latency} per KashFlow call",
        "",
        "What a user waits for is KashFlow: every call to it is a network round trip, and "
        "calls a tool makes side by side cost one. **In a row** is how many it waits for one "
        f"after another; the target is in a row × {latency} + {ALLOWANCE * 1000:g} ms, with "
        "KashFlow's own time (here the sandbox's, in this process) counted as KashFlow's: the "
        f"server's own share within {ALLOWANCE * 1000:g} ms.",
        "",
        "| tool | scenario | KashFlow calls | in a row | wall time "
        "| beyond the waits (server · sandbox) | target | met? |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in tools.rows:
        in_a_row = "—" if row.in_a_row is None else str(row.in_a_row)
        cells = (row.tool, row.scenario, row.calls, in_a_row, row.wall, row.beyond, row.target)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + f" | {_met(row)} |")
    met = sum(1 for row in tools.rows if row.met)
    return [*lines, "", f"Targets met: {met} of {len(tools.rows)}.", "", tools.how]


def render(
    plan: Plan,
    figures: list[Figure],
    tools: ToolTable,
    notes: list[str],
    seconds: float,
    others: float,
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    judged = [figure for figure in figures if figure.met is not None]
    met = sum(1 for figure in judged if figure.met)
    lines = [
        "# Benchmark results",
        "",
        "<!-- Written by `make bench` (`python -m bench.run`); change the harness, not this file. -->",  # noqa: E501
        "",
    ]
    if plan.smoke:
        lines += ["**Smoke run: figures not meaningful** (few repeats, small account).", ""]
    lines += [
        f"- **Date:** {when}",
        f"- **Machine:** {machine()}",
        f"- **Run:** {'smoke' if plan.smoke else 'full'}: {_plan_text(plan)}; "
        f"took {seconds:.0f} s, during which other processes on the machine used "
        f"{others:.0f} CPU-seconds ({others / seconds:.0%} of one core; near 0 % is a quiet "
        "machine).",
        "",
        "Every figure is measured side by side with its anchor in the same run: the **SDK "
        "floor** (`bench/floor_server.py`, a minimal `MCPServer` with one trivial typed tool) "
        "or **raw SOAP** (the same KashFlow operation POSTed with plain `httpx` to the same "
        "sandbox); the tools/list sizes are held to fixed budgets. Then every tool's round "
        "trips and its wall time at network latency, below. Medians throughout.",
        "",
        "| figure | ours | anchor | ratio | target | met? |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for figure in figures:
        cells = (figure.title, figure.ours, figure.anchor, figure.ratio, figure.target)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + f" | {_met(figure)} |")
    lines += ["", f"Targets met: {met} of {len(judged)}.", "", "## How each figure is measured", ""]
    lines += [f"{n}. **{figure.title}.** {figure.how}" for n, figure in enumerate(figures, 1)]
    lines += ["", *_tool_lines(plan, tools)]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


_VERDICT = {None: "", True: "met", False: "MISSED"}


def summary(figures: list[Figure], tools: ToolTable) -> str:
    lines = []
    for figure in figures:
        lines.append(
            f"{figure.title}\n    {figure.ours} vs {figure.anchor} -> {figure.ratio} "
            f"(target {figure.target}) {_VERDICT[figure.met]}"
        )
    for row in tools.rows:
        lines.append(
            f"{row.scenario}: {row.in_a_row} in a row ({row.calls})\n    {row.wall}, "
            f"{row.beyond} (target {row.target}) {_VERDICT[row.met]}"
        )
    return "\n".join(lines) + "\n"


def progress(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()
