"""Checking a parsed JSON document against a schema before a model is built from it.

The loaders used to find a wrong type deep inside a document by crashing on it
(``rules: [1]``, ``sources: 5``). :func:`check_shape` walks the document along the
schema that ``elect schema`` prints and stops at the first mismatch with its JSON
path. It knows the keywords elect's schemas use: ``type``, ``required``,
``properties``, ``additionalProperties``, ``items``, ``enum``, ``const``,
``minItems``, ``minimum`` and local ``$ref``s.

It walks with an explicit stack, so no document is too deep for it; values the
schema says nothing about are never descended into.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


class ShapeError(ValueError):
    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (float, Decimal)):
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return "integer"
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _fits(value: Any, types: list[str], lenient_numbers: bool) -> bool:
    t = _type_of(value)
    if t in types or (t == "integer" and "number" in types):
        return True
    # Counts written as publishers write them ("11 953 465") are the loader's to parse.
    return lenient_numbers and t == "string" and ("integer" in types or "number" in types)


def _describe(value: Any) -> str:
    t = _type_of(value)
    if t in ("array", "object"):
        return f"an {t}"
    text = str(value) if isinstance(value, Decimal) else repr(value)
    return f"{t} {text[:40]}{'…' if len(text) > 40 else ''}"


def check_shape(doc: Any, schema: dict, *, lenient: tuple[dict, ...] = ()) -> None:
    """Raise ShapeError(message, json_path) at the first place DOC does not fit SCHEMA.

    Where the schema node is one of LENIENT (by identity), a string may stand for a
    number: counts written as publishers write them are the loader's to parse.
    """
    root = schema
    soft = {id(s) for s in lenient}
    stack: list[tuple[Any, dict, str]] = [(doc, schema, "$")]
    while stack:
        value, sch, path = stack.pop()
        while "$ref" in sch:
            ref = sch["$ref"]
            node: Any = root
            for part in ref.lstrip("#/").split("/"):
                node = node[part]
            sch = node
        if "const" in sch and not (
            _type_of(value) == _type_of(sch["const"]) and value == sch["const"]
        ):
            raise ShapeError(f"must be {sch['const']!r}, not {_describe(value)}", path)
        if "enum" in sch and not any(
            _type_of(value) == _type_of(e) and value == e for e in sch["enum"]
        ):
            choices = ", ".join(repr(e) for e in sch["enum"])
            raise ShapeError(f"must be one of {choices}, not {_describe(value)}", path)
        if "type" in sch:
            types = sch["type"] if isinstance(sch["type"], list) else [sch["type"]]
            if not _fits(value, types, id(sch) in soft):
                want = " or ".join(types)
                raise ShapeError(f"must be {want}, not {_describe(value)}", path)
        if "minimum" in sch and _type_of(value) in ("integer", "number"):
            if value < sch["minimum"]:
                raise ShapeError(f"must be at least {sch['minimum']}, not {value}", path)
        if isinstance(value, dict):
            for key in sch.get("required", ()):
                if key not in value:
                    raise ShapeError(f"{key!r} is required", path)
            props = sch.get("properties", {})
            extra = sch.get("additionalProperties")
            for key in reversed(list(value)):
                sub = props.get(key, extra if isinstance(extra, dict) else None)
                if sub:
                    stack.append((value[key], sub, f"{path}.{key}"))
        elif isinstance(value, list):
            if len(value) < sch.get("minItems", 0):
                raise ShapeError(f"needs at least {sch['minItems']} item(s)", path)
            items = sch.get("items")
            if isinstance(items, dict) and items:
                for i in range(len(value) - 1, -1, -1):
                    stack.append((value[i], items, f"{path}[{i}]"))
