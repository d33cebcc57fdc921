"""Request bodies a view can read: JSON nested no deeper than MAX_DEPTH, UTF-8 text with no
lone surrogates. Anything else is a 400 in the usual JSON shape, before a view (or the JSON
parser's own recursion) meets it."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import BadRequest

MAX_DEPTH = 64
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(rb"[\[\]{}]")


def register(app: Flask) -> None:
    app.before_request(check)


def check() -> None:
    """Refuse a JSON body too deep to parse safely or holding text that is not Unicode."""
    if request.routing_exception is not None or not request.is_json:
        return
    body = request.get_data(cache=True)
    if not body:
        return
    depth = nesting(body)
    if depth > MAX_DEPTH:
        raise BadRequest(f"the JSON body is nested {depth} levels deep; at most {MAX_DEPTH}")
    try:
        body.decode("utf-8")
        value = json.loads(body)
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the body is not UTF-8 text (byte {exc.start} cannot be read)") from None
    except ValueError:
        return   # not JSON: the view's parser says where
    where = _not_unicode(value)
    if where is not None:
        raise BadRequest(f"{where or 'the body'}: not valid Unicode text (a lone surrogate "
                         "such as \\ud800)")


def nesting(body: bytes) -> int:
    """How deep the arrays and objects of a JSON text go (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _not_unicode(value: Any, where: str = "") -> str | None:
    """The place (e.g. `path`, `items[2]`) of the first text that cannot be encoded, if any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _not_unicode(key, where) if isinstance(key, str) else None
            if found is None:
                found = _not_unicode(item, f"{where}.{key}" if where else str(key))
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _not_unicode(item, f"{where}[{i}]")
            if found is not None:
                return found
    return None
