"""Benchmarks for kashflow-mcp: ``make bench`` writes ``bench/RESULTS.md``.

Every figure is a ratio to an anchor measured side by side in the same run on the same machine:
the SDK floor (``bench.floor_server``, the least any Python MCP server can cost) or raw SOAP
(the same KashFlow operation sent with plain httpx to the same sandbox).
"""
