"""kashflow-mcp: KashFlow bookkeeping as typed MCP tools, with a built-in KashFlow sandbox."""

__version__ = "0.1.0"
