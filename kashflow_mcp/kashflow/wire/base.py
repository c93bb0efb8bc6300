"""What every wire model is: a KashFlow record exactly as the service names and types it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    # Built on first use: a server starts without paying for records it may never read.
    model_config = ConfigDict(extra="ignore", defer_build=True)

    def wire(self) -> dict[str, Any]:
        """The fields that are set, ready for the codec."""
        return self.model_dump(exclude_none=True)
