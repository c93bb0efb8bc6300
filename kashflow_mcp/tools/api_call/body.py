"""Checking a call_kashflow_api body against its operation's WSDL types, before anything else.

Every bad field is named by its full path (``body.InvoicePayment.PayAmount``), so a call is
refused whole before any preview is shown or token minted, rather than after the user said yes.
The rules are the tools' own: whole numbers as JSON integers, booleans as JSON booleans, dates
as ``YYYY-MM-DD`` (or ``YYYY-MM-DDTHH:MM:SS``) between 1900 and 2099, money as a decimal string
with no more than 2 decimals, lists as lists, names exactly as KashFlow spells them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ...kashflow import Operation
from ...kashflow.wsdl_types import TYPES, ArrayType, RecordType, field_types
from ...schemas.values import EARLIEST_DATE, LATEST_DATE, MONEY_PATTERN
from .rules import REQUIRED, is_money, item_type

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2})?")
_DECIMAL = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,10})?")
_INT32 = range(-(2**31), 2**31)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_PROBLEMS = 10


def body_problems(op: Operation, body: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``body`` for ``op``, one ``path: problem`` each; empty when it is fine."""
    problems: list[str] = []
    names = _names_as_sent(body, "body", problems)
    takes = f"{op.name} takes: {', '.join(op.param_names) or 'no parameters'}"
    for name in names:
        if name not in op.param_names:
            problems.append(f"body.{name}: no such parameter ({takes})")
    for name, kind in op.params:
        if body.get(name) is None:
            problems.append(f"body.{name}: required ({takes})")
        else:
            _check(body[name], kind, f"body.{name}", problems)
    if not problems:
        for rule in REQUIRED.get(op.name, ()):
            problems.extend(_unmet(rule, body))
    return problems[:_MAX_PROBLEMS]


def _names_as_sent(record: Mapping[str, Any], path: str, problems: list[str]) -> list[str]:
    """The keys to check further; a key with spaces around it is refused, never trimmed."""
    names = []
    for key in record:
        if key != key.strip():
            twin = " (the same name is also given without them)" if key.strip() in record else ""
            problems.append(f"{path}.{json.dumps(key)}: a name with spaces around it{twin}")
        else:
            names.append(key)
    return names


def _check(value: Any, kind: str, path: str, problems: list[str]) -> None:
    spec = TYPES.get(kind)
    if isinstance(spec, RecordType):
        _check_record(value, kind, path, problems)
    elif isinstance(spec, ArrayType):
        _check_items(value, spec.item_type, path, problems)
    else:
        problem = _scalar_problem(value, kind)
        if problem:
            problems.append(f"{path}: {problem}")


def _check_record(value: Any, type_name: str, path: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{path}: expected an object of {type_name} fields")
        return
    known = field_types(type_name)
    for name in _names_as_sent(value, path, problems):
        field_path = f"{path}.{name}"
        kind = known.get(name)
        if kind is None:
            valid = ", ".join(known)
            problems.append(f"{field_path}: {type_name} has no such field; valid fields: {valid}")
        elif value[name] is None:
            continue  # not sent, as the encoder leaves it out
        elif kind == "decimal":
            problem = _decimal_problem(value[name], is_money(type_name, name))
            if problem:
                problems.append(f"{field_path}: {problem}")
        elif isinstance(TYPES.get(kind), ArrayType):
            _check_items(value[name], item_type(type_name, name), field_path, problems)
        else:
            _check(value[name], kind, field_path, problems)


def _check_items(value: Any, kind: str | None, path: str, problems: list[str]) -> None:
    if not isinstance(value, list):
        problems.append(f"{path}: expected a list")
        return
    if kind is None or kind == "anyType":
        if value:
            problems.append(f"{path}: KashFlow's type for these items is not known; send none")
        return
    for index, item in enumerate(value):
        if item is None:
            problems.append(f"{path}.{index}: expected a value, not null")
        else:
            _check(item, kind, f"{path}.{index}", problems)


def _scalar_problem(value: Any, kind: str) -> str | None:
    if kind == "string":
        if not isinstance(value, str):
            return "expected text (a JSON string)"
        return (
            "contains control characters KashFlow cannot accept"
            if _XML_ILLEGAL.search(value)
            else None
        )
    if kind in ("int", "integer"):
        if isinstance(value, bool) or not isinstance(value, int):
            return 'expected a whole number as a JSON integer, e.g. 5 (not "5", not true)'
        return (
            "is beyond KashFlow's whole numbers" if kind == "int" and value not in _INT32 else None
        )
    if kind == "boolean":
        return None if isinstance(value, bool) else "expected true or false (a JSON boolean)"
    if kind == "dateTime":
        return _date_problem(value)
    if kind == "decimal":
        return _decimal_problem(value, money=False)
    if kind == "base64Binary":
        try:
            base64.b64decode(value, validate=True)
        except (TypeError, ValueError, binascii.Error):
            return "expected base64 text"
        return None
    return f"cannot send a value of type {kind}"


def _date_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return "expected a date as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS)"
    try:
        day = datetime.fromisoformat(value).date()
    except ValueError:
        return f"{value} is not a real date"
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"dates must be from {EARLIEST_DATE} to {LATEST_DATE}"
    return None


def _decimal_problem(value: Any, money: bool) -> str | None:
    if money:
        if isinstance(value, str) and re.fullmatch(MONEY_PATTERN, value):
            return None
        return 'money must be a decimal string with at most 2 decimals, e.g. "12.50"'
    if isinstance(value, int) and not isinstance(value, bool):
        return None  # a whole JSON number is exact
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return None
    return 'expected a decimal number as a string, e.g. "1.5" (no exponent, not a JSON float)'


def _unmet(rule: str, body: Mapping[str, Any]) -> list[str]:
    """``body.X: required`` for each place the rule is not met; [] when it is."""
    choices = rule.split("|")
    places = [_values_at(body, choice) for choice in choices]
    if len(choices) > 1:
        if any(not _blank(value) for found in places for _, value in found):
            return []
        return [f"body.{' or body.'.join(choices)}: one of these is required"]
    return [f"{where}: required" for where, value in places[0] if _blank(value)]


def _values_at(body: Mapping[str, Any], path: str) -> list[tuple[str, Any]]:
    """(full path, value) of each place ``path`` names; a missing list has no places."""
    found: list[tuple[str, Any]] = [("body", body)]
    for part in path.split("."):
        name, each = part.removesuffix("[]"), part.endswith("[]")
        step: list[tuple[str, Any]] = []
        for where, value in found:
            inner = value.get(name) if isinstance(value, Mapping) else None
            if not each:
                step.append((f"{where}.{name}", inner))
            elif isinstance(inner, list):
                step.extend((f"{where}.{name}.{i}", item) for i, item in enumerate(inner))
        found = step
    return found


def _blank(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == 0 or value == []
