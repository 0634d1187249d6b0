"""Every text field of a schema, found through its JSON Schema (pydantic and ninja alike),
so a test about text limits covers the next field someone adds without being told."""

from __future__ import annotations

from typing import Any

# Strings with a format (dates, times) are not free text.
NOT_TEXT_FORMATS = {"date", "date-time", "time", "duration"}


def text_fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{path: the string's JSON Schema} for every free-text string in `schema`.

    Paths: `customer.billing_address.line1`, `lines[].name`, and for a string → string
    mapping `lines[].options{key}` and `lines[].options{value}`. Enums are included
    (their values must fit a column too); their schema has "enum"."""
    found: dict[str, dict[str, Any]] = {}
    _walk(schema, schema.get("$defs", {}), "", found)
    return found


def _walk(node: dict[str, Any], defs: dict[str, Any], path: str, found: dict) -> None:
    if "$ref" in node:
        _walk(defs[node["$ref"].rsplit("/", 1)[-1]], defs, path, found)
        return
    for option in node.get("anyOf", []) + node.get("allOf", []):
        _walk(option, defs, path, found)
    kind = node.get("type")
    if kind == "string" and node.get("format") not in NOT_TEXT_FORMATS:
        found[path] = node
    elif kind == "object":
        for name, child in node.get("properties", {}).items():
            _walk(child, defs, f"{path}.{name}" if path else name, found)
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            found[f"{path}{{key}}"] = {"type": "string", **node.get("propertyNames", {})}
            _walk(values, defs, f"{path}{{value}}", found)
    elif kind == "array" and isinstance(node.get("items"), dict):
        _walk(node["items"], defs, f"{path}[]", found)


def longest(field: dict[str, Any]) -> int | None:
    """The most characters the field accepts: maxLength, or the longest enum value."""
    if "enum" in field:
        return max(len(str(value)) for value in field["enum"])
    if "const" in field:
        return len(str(field["const"]))
    return field.get("maxLength")
