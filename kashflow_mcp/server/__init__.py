"""The MCP server: tool adapter, confirmation, caching, assembly and HTTP transports."""

from .app import ConfigurationError, build_server, select_tools

__all__ = ["ConfigurationError", "build_server", "select_tools"]
