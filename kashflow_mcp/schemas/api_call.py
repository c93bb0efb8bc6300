"""The guarded "call any KashFlow operation" tool."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from .common import TOKEN_DESCRIPTION, ArgsModel, ResultModel
from .values import text_matching

OperationName = text_matching(
    r"^[A-Za-z][A-Za-z0-9_]{1,63}$", "a KashFlow operation name such as GetCurrencies"
)

# KashFlow's names exactly as sent: trimming " InvoiceNumber" would let it silently replace
# "InvoiceNumber"; the tool refuses such a name instead.
ExactName = Annotated[str, StringConstraints(strip_whitespace=False)]


class CallApiArgs(ArgsModel):
    method: OperationName = Field(description="e.g. GetCurrencies, GetNominalCodes.")
    body: dict[ExactName, Any] = Field(
        default_factory=dict,
        description=(
            'Parameters by KashFlow name, e.g. {"InvoiceNumber": 12}; amounts as strings. '
            "The server adds the credentials."
        ),
    )
    confirmation_token: str | None = Field(None, max_length=400, description=TOKEN_DESCRIPTION)


class ApiCallResult(ResultModel):
    status: Literal["ok", "confirmation_required", "declined"]
    method: str
    kind: Literal["read", "write", "delete", "restricted"]
    message: str | None = None
    result: Any = None
    truncated: bool = Field(False, description="True when the result was cut to fit.")
    confirmation_token: str | None = None
    expires_in_seconds: int | None = None
