"""The tools, one module per area. Each holds its specs: description, models, annotations, call.

Adding a tool touches one module and this list.
"""

from .api_call import API_CALL_TOOLS
from .base import ToolEnv, ToolFailure, ToolResult, ToolSpec
from .customers import CUSTOMER_TOOLS
from .invoices import INVOICE_TOOLS

ALL_TOOLS: tuple[ToolSpec, ...] = (*CUSTOMER_TOOLS, *INVOICE_TOOLS, *API_CALL_TOOLS)

__all__ = ["ALL_TOOLS", "ToolEnv", "ToolFailure", "ToolResult", "ToolSpec"]
