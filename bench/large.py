"""The large-account figures: first page, next page, peak memory, and what the model reads.

KashFlow's ``GetCustomers`` has no paging, so a first page costs at least one full download of
every customer: the anchor is exactly that download with plain httpx, unparsed. Each repetition
starts a fresh server, so the first page is always a cold list (not served from the server's
short-lived cache) while the process is otherwise warm: one get_customer goes first, which opens
the connection to the sandbox and runs the tool machinery once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .figures import OURS, Figure, Plan, Shared, fmt_mb, fmt_ms, fmt_ratio, start_stdio
from .measure import BenchError, compact_bytes, median, proc_status, text_bytes
from .soap import RawSoap, Sandbox, customer_element_bytes, customer_ids

PAGE = 25
BYTES_PAGE = 50
PEAK_ALLOWANCE_KB = 150 * 1024
LARGE_TIMEOUT = 600.0  # one list call on a huge account may be slow; still bounded


def _age_seconds(as_of: str) -> float:
    stamp = datetime.strptime(as_of, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (datetime.now(UTC) - stamp).total_seconds()


def large_account(plan: Plan, box: Sandbox, shared: Shared) -> list[Figure]:
    raw = RawSoap(box.url, timeout=LARGE_TIMEOUT)
    first: list[float] = []
    following: list[float] = []
    anchor: list[float] = []
    peaks: list[int] = []
    soap_for_next: list[int] = []
    try:
        # Untimed: warms the sandbox's SQLite pages, as the warm-up call does for our side.
        warm = raw.post("GetCustomers")
        ids = customer_ids(warm)
        total = len(ids)
        if total < BYTES_PAGE:
            raise BenchError(f"the large account has only {total} customers")
        for _ in range(plan.repeats):
            anchor.append(raw.timed("GetCustomers")[0])
            _, child, session, _ = start_stdio(OURS, box.server_env(), "ours", LARGE_TIMEOUT)
            try:
                session.call_tool("get_customer", {"customer_id": ids[0]})
                seconds, _ = session.timed_call("list_customers", {"limit": PAGE})
                first.append(seconds)
                before = box.request_counts().get("GetCustomers", 0)
                seconds, page2 = session.timed_call(
                    "list_customers", {"limit": PAGE, "offset": PAGE}
                )
                following.append(seconds)
                soap_for_next.append(box.request_counts().get("GetCustomers", 0) - before)
                structured = page2.get("structuredContent") or {}
                as_of = structured.get("as_of")
                age = _age_seconds(as_of) if as_of else None
                said_in_text = bool(as_of) and as_of in page2["content"][0].get("text", "")
                page50 = session.call_tool("list_customers", {"limit": BYTES_PAGE})
                peaks.append(proc_status(child.pid)["VmHWM"])
            finally:
                child.stop()
        rows = (page50.get("structuredContent") or {}).get("customers", [])
        wanted = {row["customer_id"] for row in rows}
        if len(wanted) != BYTES_PAGE:
            raise BenchError(f"list_customers(limit={BYTES_PAGE}) gave {len(wanted)} customers")
        raw_bytes = customer_element_bytes(warm, wanted)
    finally:
        raw.close()
    model_text = text_bytes(page50)
    model_structured = compact_bytes(page50.get("structuredContent"))
    read = model_text + model_structured
    first_s, next_s, raw_s = median(first), median(following), median(anchor)
    peak = int(median(peaks))
    floor_peak = shared.floor_peak_kb
    n = plan.repeats
    freshness = (
        f"as_of {as_of} ({age:.0f} s old when served, said in the text: "
        f"{'yes' if said_in_text else 'no'})"
        if as_of and age is not None
        else "the result carries no as_of"
    )
    return [
        Figure(
            f"list_customers(limit={PAGE}) on a {total:,}-customer account",
            fmt_ms(first_s),
            f"{fmt_ms(raw_s)} (one raw GetCustomers)",
            fmt_ratio(first_s / raw_s),
            "≤ 1.5 × one raw GetCustomers",
            first_s / raw_s <= 1.5,
            f"The sandbox with `--scale {plan.scale}` (the demo company plus synthetic "
            f"customers). Median of {n} first pages, each on a freshly started server (so the "
            "list is never cached) after one untimed get_customer; anchor: median of "
            f"{n} GetCustomers POSTs with a keep-alive httpx client, body read not parsed, "
            "one before each first page.",
        ),
        Figure(
            f"peak RSS on the {total:,}-customer account",
            fmt_mb(peak),
            f"{fmt_mb(floor_peak)} floor + 150 MB = {fmt_mb(floor_peak + PEAK_ALLOWANCE_KB)}",
            f"floor + {fmt_mb(peak - floor_peak)}",
            "≤ floor + 150 MB",
            peak <= floor_peak + PEAK_ALLOWANCE_KB,
            "VmHWM (peak RSS) of our server after the first page, the next page and a page "
            f"of {BYTES_PAGE}; median over the {n} servers. Floor: VmHWM of the floor server "
            "after tools/list and one `add` call, median over the cold starts.",
        ),
        Figure(
            "the next page within a short window",
            fmt_ms(next_s),
            f"{fmt_ms(first_s)} (first page)",
            f"{next_s / first_s:.4f} ×",
            "≤ 0.1 × first page",
            next_s / first_s <= 0.1,
            f"list_customers(limit={PAGE}, offset={PAGE}) right after the first page, same "
            f"server; median of {n}. GetCustomers requests it sent to the sandbox (from "
            f"/_sandbox/requests): {max(soap_for_next)}. Freshness: {freshness}.",
        ),
        Figure(
            f"what the model reads for list_customers(limit={BYTES_PAGE})",
            f"{read:,} B ({model_text:,} text + {model_structured:,} structured)",
            f"{raw_bytes:,} B raw SOAP",
            f"{read / raw_bytes:.1%}",
            "≤ 20 % of raw SOAP",
            read / raw_bytes <= 0.20,
            "Ours: UTF-8 bytes of the text content plus structuredContent as compact JSON. "
            f"Raw: the {BYTES_PAGE} `<Customer>…</Customer>` elements for the same customer ids, "
            "cut from the raw GetCustomers response (envelope not counted, which makes the raw "
            "side smaller and the target stricter).",
        ),
    ]
