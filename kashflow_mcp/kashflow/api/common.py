"""What every area of the client shares: the caller underneath, and reading its answers."""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import NotFoundError
from ..soap import SoapCaller
from ..wire import WireModel

M = TypeVar("M", bound=WireModel)


class Area:
    """One area of KashFlow's operations, sent through the client's one caller."""

    def __init__(self, soap: SoapCaller) -> None:
        self._soap = soap


def many(model: type[M], rows: Any) -> list[M]:
    return [model.model_validate(row) for row in rows or ()]


def one(model: type[M], row: Any, operation: str, missing: str, id_field: str) -> M:
    # KashFlow has been seen answering a lookup of a missing record with an empty record
    # (id 0) instead of Status=NO; both mean "not found".
    if not row or not row.get(id_field):
        raise NotFoundError(missing, operation=operation)
    return model.model_validate(row)
