"""Benchmarks for kashflow-mcp: ``make bench`` writes ``bench/RESULTS.md``.

What a user waits for is KashFlow: every call to it is a network round trip. So the bench
reports, for every scenario of every tool (``bench.scenarios``), the KashFlow calls it makes,
how many it waits for in a row, and its wall time when each call takes 100 ms
(``bench.per_tool``). The other figures are ratios to an anchor measured side by side in the
same run on the same machine - the SDK floor (``bench.floor_server``, the least any Python MCP
server can cost) or raw SOAP (the same KashFlow operation sent with plain httpx to the same
sandbox) - and the tools/list sizes against their budgets.
"""
