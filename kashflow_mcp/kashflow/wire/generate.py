"""Writing ``records.py``: one model per record of the WSDL type table, in its field order.

The WSDL type table (``wsdl_types.TYPES``) is the one description of KashFlow's records; the
models are generated from it so the two cannot drift apart (a test regenerates them and
compares). ``python -m kashflow_mcp.kashflow.wire.generate`` rewrites the file.
"""

from __future__ import annotations

from pathlib import Path

from ..codec import ANY_ITEM_TYPES
from ..wsdl_types import TYPES, ArrayType, RecordType

TARGET = Path(__file__).with_name("records.py")
_SCALARS = {
    "string": "str",
    "int": "int",
    "integer": "int",
    "decimal": "Decimal",
    "boolean": "bool",
    "dateTime": "datetime",
    "base64Binary": "str",
    "anyType": "Any",
}
_HEADER = '''\
"""KashFlow's SOAP records, written from the WSDL types by ``generate.py``: do not edit.

PascalCase names, 0/1 ints where KashFlow uses ints, ``Decimal`` money, naive datetimes, in the
WSDL's field order. Every field is optional: on insert only the fields that are set are sent
(KashFlow rejects blanks where it expects a value), and responses are taken as they come.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from .base import WireModel
'''


# Records that are also field names (Invoice.DeliveryAddress): a class body assigns a field's
# default before evaluating its annotation, so such fields refer to the record by an alias.
_SHADOWED = {
    field
    for spec in TYPES.values()
    if isinstance(spec, RecordType)
    for field, _ in spec.fields
    if isinstance(TYPES.get(field), RecordType)
}


def _annotation(record: str, field: str, kind: str) -> str:
    spec = TYPES.get(kind)
    if isinstance(spec, ArrayType):
        item = ANY_ITEM_TYPES.get((record, field), spec.item_type)
        return f"list[{_annotation(record, field, item)}]"
    if isinstance(spec, RecordType):
        return f"_{kind}" if kind in _SHADOWED else kind
    return _SCALARS.get(kind, "str")


def _depends_on(name: str) -> set[str]:
    record = TYPES[name]
    assert isinstance(record, RecordType)
    needed = {record.base} if record.base else set()
    for field, kind in record.fields:
        spec = TYPES.get(kind)
        if isinstance(spec, ArrayType):
            kind = ANY_ITEM_TYPES.get((name, field), spec.item_type)
        if isinstance(TYPES.get(kind), RecordType):
            needed.add(kind)
    return needed - {name}


def _in_order() -> list[str]:
    """Records in the table's order, each after those it refers to (annotations are eager)."""
    done: list[str] = []

    def visit(name: str) -> None:
        if name not in done:
            for needed in sorted(_depends_on(name)):
                visit(needed)
            done.append(name)

    for name, spec in TYPES.items():
        if isinstance(spec, RecordType):
            visit(name)
    return done


def source() -> str:
    parts = [_HEADER]
    for name in _in_order():
        record = TYPES[name]
        assert isinstance(record, RecordType)
        lines = [f"\n\nclass {name}({record.base or 'WireModel'}):"]
        for field, kind in record.fields:
            lines.append(f"    {field}: {_annotation(name, field, kind)} | None = None")
        if name in _SHADOWED:
            lines.append(f"\n\n_{name} = {name}")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


if __name__ == "__main__":
    TARGET.write_text(source())
