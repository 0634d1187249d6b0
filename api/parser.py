"""The API's request parser: JSON bodies and query strings, refused at the edge when they
hold text no column can keep (NUL, lone surrogates; core.limits), for every operation
at once — a 422 naming the field, never a database error later."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from core.limits import NUL_MESSAGE, forbidden_characters

MESSAGE = f"The text {NUL_MESSAGE}."


class ForbiddenText(Exception):
    """Fields (as the API names them: `emails.0.email`, `q`) holding forbidden text."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = {field: MESSAGE for field in fields}


class TextCheckingParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        # UTF-8 only: json.loads would take UTF-16 bytes the rest of Cyan cannot decode.
        data = json.loads(request.body.decode("utf-8"))
        _refuse(list(_forbidden_paths(data, ())))
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        _refuse([key for key, values in data.lists() for value in values if _bad(key, value)])
        return super().parse_querydict(data, list_fields, request)


def _bad(key: str, value: object) -> bool:
    return forbidden_characters(key) or (isinstance(value, str) and forbidden_characters(value))


def _refuse(fields: list[str]) -> None:
    if fields:
        raise ForbiddenText(sorted(set(fields)))


def _forbidden_paths(value: Any, path: tuple[str, ...]) -> Iterator[str]:
    if isinstance(value, str):
        if forbidden_characters(value):
            yield ".".join(path) or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            if forbidden_characters(key):
                yield ".".join((*path, "(key)")) if path else "(key)"
            yield from _forbidden_paths(item, (*path, _printable(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _forbidden_paths(item, (*path, str(index)))


def _printable(key: str) -> str:
    return key.encode("unicode_escape").decode("ascii") if forbidden_characters(key) else key
