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
        f"{plan.repeats} starts and first pages per side, {plan.rounds} × {plan.calls} stdio "
        f"round trips per side, {plan.http_rounds} × {plan.http_seconds:g} s HTTP windows "
        f"per load with {plan.http_clients} "
        f"clients, a {plan.scale:,}-customer account; sandbox served by `kashflow-mcp sandbox`"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _met(figure: Figure) -> str:
    return "—" if figure.met is None else ("yes" if figure.met else "**no**")


def render(
    plan: Plan, figures: list[Figure], notes: list[str], seconds: float, others: float
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
        "sandbox). Medians throughout.",
        "",
        "| figure | ours | anchor | ratio | target | met? |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for figure in figures:
        cells = (figure.title, figure.ours, figure.anchor, figure.ratio, figure.target)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + f" | {_met(figure)} |")
    lines += ["", f"Targets met: {met} of {len(judged)}.", "", "## How each figure is measured", ""]
    lines += [f"{n}. **{figure.title}.** {figure.how}" for n, figure in enumerate(figures, 1)]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def summary(figures: list[Figure]) -> str:
    lines = []
    for figure in figures:
        verdict = {None: "", True: "met", False: "MISSED"}[figure.met]
        lines.append(
            f"{figure.title}\n    {figure.ours} vs {figure.anchor} -> {figure.ratio} "
            f"(target {figure.target}) {verdict}"
        )
    return "\n".join(lines) + "\n"


def progress(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()
