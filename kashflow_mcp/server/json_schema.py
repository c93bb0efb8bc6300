"""The JSON schemas the model is shown, kept small: tools/list is read on every launch.

Pydantic's schemas carry noise: auto titles, ``default: null``, an ``anyOf`` with ``null`` for
every optional field. Arguments keep what helps a model call correctly (types, patterns,
enums, limits, descriptions) and lose the rest. A result's schema names its fields and their
types; records nested inside it are described only as objects: the text content already shows
everything, and the structured content keeps every field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_NOISE = frozenset({"title"})
_RESULT_NOISE = _NOISE | {"additionalProperties", "default", "description", "required", "maxLength"}
_RESULT_DEPTH = 1


def argument_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = _clean(model.model_json_schema(), _NOISE)
    # Nested objects refuse unknown keys as well; saying so once, at the top, is enough.
    for definition in schema.get("$defs", {}).values():
        definition.pop("additionalProperties", None)
    return schema


def result_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = _clean(model.model_json_schema(mode="serialization"), _RESULT_NOISE)
    definitions = schema.pop("$defs", {})
    return _inline(schema, definitions, depth=0)


def _clean(schema: Any, noise: frozenset[str]) -> Any:
    if isinstance(schema, list):
        return [_clean(item, noise) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = _without_null(schema)
    cleaned: dict[str, Any] = {}
    for key, value in schema.items():
        if (key in noise and not isinstance(value, dict)) or (key == "default" and value is None):
            continue
        if key in ("properties", "$defs"):
            cleaned[key] = {name: _clean(sub, noise) for name, sub in value.items()}
        else:
            cleaned[key] = _clean(value, noise)
    return cleaned


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``T | None`` as plain ``T``: optional arguments are left out, None results omitted."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or {"type": "null"} not in branches:
        return schema
    others = [branch for branch in branches if branch != {"type": "null"}]
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**others[0], **rest} if len(others) == 1 else {**rest, "anyOf": others}


def _inline(schema: dict[str, Any], definitions: dict[str, Any], depth: int) -> dict[str, Any]:
    """Resolve ``$ref``s in place, describing objects nested deeper than the limit by type."""
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return {**schema, "items": _inline(schema["items"], definitions, depth)}
    if "properties" not in schema:
        return schema
    if depth >= _RESULT_DEPTH:
        return {"type": "object"}
    properties = {
        name: _inline(sub, definitions, depth + 1) for name, sub in schema["properties"].items()
    }
    return {**schema, "properties": properties}
