"""The JSON schemas the model is shown, kept small: tools/list is read on every launch.

Pydantic's schemas carry noise: auto titles, ``default: null``, an ``anyOf`` with ``null`` for
every optional field. Arguments keep what helps a model call correctly (types, patterns,
enums, upper limits, defaults, descriptions) and lose the rest. A few rules are enforced
without being shown, since a model writing ordinary values never meets them and a call that
breaks one is refused naming the field: the length cap of one-line text and of tokens (only
long text shows its cap), lower bounds that only rule out negative numbers or empty text and
lists, and the refusal of unknown arguments. ``enforced_schema`` has every rule; the tests hold
the server to it. A record used once is written where it is used rather than in ``$defs``.

A result's schema names its fields and their types. What is inside a field (a record, a list)
is described by its type alone: the text content already shows everything, and the structured
content keeps every field.

Building these needs every tool's models, and building them takes pydantic some 20 ms, so the
finished schemas of every tool ship in ``shipped_schemas.py``, by tool, written by the tool-list
tests with ``UPDATE_SNAPSHOTS=1`` (they fail while it is out of date). A server then lists its
tools without importing any area's handlers or models. The file is used only while its
fingerprint - of the models' and the tools' sources, this file and pydantic's version -
matches; otherwise each tool's schemas are built from its models.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import VERSION, BaseModel

if TYPE_CHECKING:
    from ..tools.base import ToolSpec

logger = logging.getLogger(__name__)
SHIPPED = Path(__file__).with_name("shipped_schemas.py")
_SHIPPED_TEMPLATE = '''# ruff: noqa: E501
"""Generated from the tools' models by ``json_schema.shipped_schemas_source``: do not edit.

Every tool's argument and result schema, one per line: "arguments" or "result", the tool, a
tab, the schema. Start-up reads these instead of building them, but only while FINGERPRINT
matches ``json_schema.fingerprint()``. ``UPDATE_SNAPSHOTS=1 python -m pytest
tests/server/test_tool_list.py`` rewrites this file along with the tools/list snapshot.
"""

FINGERPRINT = "{fingerprint}"

SCHEMAS = r"""
{lines}"""
'''

_NOISE = frozenset({"title"})
_RESULT_NOISE = _NOISE | {"additionalProperties", "default", "description", "required", "maxLength"}


# Lower bounds that only rule out negative numbers, and empty text or lists.
_PLAIN_BOUNDS = frozenset(
    {("minimum", 0), ("exclusiveMinimum", 0), ("minLength", 1), ("minItems", 1)}
)


def _unshown(key: str, value: Any) -> bool:
    """A rule the server enforces, naming the field, that the model need not be told."""
    if key == "maxLength":
        from ..schemas.values import LONG_TEXT_MAX  # only building: start-up imports no model

        return isinstance(value, int) and value < LONG_TEXT_MAX
    if key == "additionalProperties":
        return isinstance(value, bool)  # true is the default; false holds at every level anyway
    return isinstance(value, int) and (key, value) in _PLAIN_BOUNDS


def enforced_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Every rule the server holds arguments to, as JSON Schema (what the tests check)."""
    return _clean(model.model_json_schema(), _NOISE)


def tool_schemas(spec: ToolSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """A tool's argument and result schemas: shipped, or built from its models (importing its
    area) when the shipped ones are out of date or it has none."""
    shipped = _shipped()
    arguments, result = shipped.get(f"arguments {spec.name}"), shipped.get(f"result {spec.name}")
    if arguments and result:
        return json.loads(arguments), json.loads(result)
    return argument_schema(spec.args), result_schema(spec.result)


def argument_schema(model: type[BaseModel]) -> dict[str, Any]:
    """What the model is shown: ``enforced_schema`` without the rules it need not see."""
    schema = _shown(enforced_schema(model))
    definitions = schema.pop("$defs", {})
    uses = {name: _count_refs(schema, name) for name in definitions}
    for definition in definitions.values():
        for other in definitions:
            uses[other] += _count_refs(definition, other)
    single = {name: body for name, body in definitions.items() if uses[name] == 1}
    schema = _place(schema, single)
    shared = {name: _place(body, single) for name, body in definitions.items() if uses[name] > 1}
    if shared:
        schema["$defs"] = shared
    return schema


def result_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A result's fields and their types: what its structured content is checked against."""
    schema = _clean(model.model_json_schema(mode="serialization"), _RESULT_NOISE)
    definitions = schema.pop("$defs", {})
    fields = {name: _field(sub, definitions) for name, sub in schema["properties"].items()}
    return {**schema, "properties": fields}


def fingerprint() -> str:
    """Of everything the schemas are made from: the models, the tools that name them (a
    handler declares its models), this file, pydantic's version."""
    digest = hashlib.sha256(VERSION.encode())
    here = Path(__file__).resolve()  # resolved: the package may be reached through a link
    package = here.parent.parent
    sources = [*sorted((package / "schemas").glob("*.py")), *sorted(package.glob("tools/**/*.py"))]
    try:
        for path in [*sources, here]:
            name = path.relative_to(package).as_posix()
            digest.update(name.encode() + b"\0" + path.read_bytes())
    except (OSError, ValueError):  # sources not installed: nothing vouches for the shipped ones
        return ""
    return digest.hexdigest()


def shipped_schemas_source() -> str:
    """The text of ``shipped_schemas.py`` for the tools as they are now."""
    from ..tools import ALL_TOOLS

    schemas: dict[str, dict[str, Any]] = {}
    for spec in ALL_TOOLS:
        schemas[f"arguments {spec.name}"] = argument_schema(spec.args)
        schemas[f"result {spec.name}"] = result_schema(spec.result)
    lines = "".join(
        f"{key}\t{json.dumps(schema, ensure_ascii=False, separators=(',', ':'))}\n"
        for key, schema in sorted(schemas.items())
    )
    assert '"""' not in lines
    return _SHIPPED_TEMPLATE.format(fingerprint=fingerprint(), lines=lines)


@functools.cache
def _shipped() -> dict[str, str]:
    try:
        from . import shipped_schemas
    except ImportError:
        return {}
    if fingerprint() != shipped_schemas.FINGERPRINT:
        logger.warning(
            "the shipped tool schemas do not match the sources: building them from the "
            "models, which imports every tool's code at start-up (UPDATE_SNAPSHOTS=1 python -m "
            "pytest tests/server/test_tool_list.py writes them anew)"
        )
        return {}
    lines = shipped_schemas.SCHEMAS.strip("\n").split("\n")
    return dict(line.split("\t", 1) for line in lines)


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


def _shown(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_shown(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    shown: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            shown[key] = {name: _shown(sub) for name, sub in value.items()}
        elif not _unshown(key, value):
            shown[key] = _shown(value)
    return shown


def _count_refs(schema: Any, name: str) -> int:
    if isinstance(schema, list):
        return sum(_count_refs(item, name) for item in schema)
    if not isinstance(schema, dict):
        return 0
    own = schema.get("$ref") == f"#/$defs/{name}"
    return own + sum(_count_refs(value, name) for value in schema.values())


def _place(schema: Any, single: dict[str, Any]) -> Any:
    """Write the records referenced only once (``single``) where they are referenced."""
    if isinstance(schema, list):
        return [_place(item, single) for item in schema]
    if not isinstance(schema, dict):
        return schema
    name = str(schema.get("$ref", "")).rsplit("/", 1)[-1]
    if name in single:
        rest = {key: value for key, value in schema.items() if key != "$ref"}
        schema = {**single[name], **rest}
    return {key: _place(value, single) for key, value in schema.items()}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``T | None`` as plain ``T``: optional arguments are left out, None results omitted."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or {"type": "null"} not in branches:
        return schema
    others = [branch for branch in branches if branch != {"type": "null"}]
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**others[0], **rest} if len(others) == 1 else {**rest, "anyOf": others}


def _field(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """One field of a result: scalars as they are, records and lists by their type alone."""
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") in ("object", "array"):
        return {"type": schema["type"]}
    return schema
