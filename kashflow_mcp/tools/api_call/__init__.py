"""The guarded generic call: any operation in KashFlow's catalogue, by name. Declared here as
the model sees it; the call itself is in ``calling``, the check of its body in ``body``, the
records it acts on in ``targets`` and ``records``."""

from __future__ import annotations

from ..base import Kind as ToolKind
from ..base import ToolSpec
from ..toolsets import API

API_CALL_TOOLS = (
    ToolSpec(
        name="call_kashflow_api",
        title="Call a KashFlow API operation",
        description="Run any KashFlow SOAP operation by name, for what the other tools do not "
        "cover (reference data, quotes, suppliers, reports). Reads run at once; writes and "
        "deletes return a confirmation_token first.",
        runs="api_call.calling:call_kashflow_api",
        toolset=API,
        kind=ToolKind.GUARDED,
    ),
)
