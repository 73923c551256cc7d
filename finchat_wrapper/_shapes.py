"""Whether a parsed answer holds the types its generated model declares.

The generated parsers read a field without checking its type (`from_dict` puts whatever the JSON
has into a `str` field, and a list answer is `cast`, not checked), so an answer of the wrong shape
would reach the caller as a model holding a number where a string is declared. `conforms` checks
a parsed answer against the annotations of the generated models (`str | Unset`, `list[str]`, a
nested model, a `Literal`), read once per class: the wrapper then raises `InvalidResponseError`
instead. JSON has no integer/boolean distinction in Python's eyes (`True` is an `int`), so `int`
and `float` refuse booleans here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["conforms"]

Check = Callable[[object], bool]

_MODELS = "finchat_openapi.models"
_CHECKS: dict[type, Check] = {}


def conforms(value: object) -> bool:
    """True when `value` (a generated model, or a list of them or of plain values) has the
    types its annotations declare, all the way down."""
    if isinstance(value, list):
        return all(conforms(item) for item in value)
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if not hasattr(type(value), "__attrs_attrs__"):
        return False  # a dict or anything else the generated parser let through
    return _model_check(type(value))(value)


def _model_check(cls: type) -> Check:
    """The check of instances of `cls`, one per class; its fields are read on first use, since
    models may refer to each other."""
    known = _CHECKS.get(cls)
    if known is not None:
        return known
    fields: tuple[tuple[str, Check], ...] | None = None

    def check(value: object) -> bool:
        nonlocal fields
        if fields is None:
            fields = _compile_model(cls)
        if not isinstance(value, cls):
            return False
        for name, test in fields:  # noqa: SIM110 - a loop, not all(genexpr): on every answer
            if not test(getattr(value, name)):
                return False
        return True

    _CHECKS[cls] = check
    return check


def _compile_model(cls: type) -> tuple[tuple[str, Check], ...]:
    attrs_fields = getattr(cls, "__attrs_attrs__", None)
    if attrs_fields is None:
        raise TypeError(f"{cls.__name__} is not a generated model")
    namespace = vars(sys.modules[cls.__module__])
    annotations: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        annotations.update(vars(klass).get("__annotations__", {}))
    out = []
    for attribute in attrs_fields:
        if attribute.name == "additional_properties":
            continue  # whatever the server added: kept as it came
        out.append((attribute.name, _annotation(annotations[attribute.name], namespace)))
    return tuple(out)


def _split(text: str, separator: str) -> list[str]:
    """`text` split at `separator`, outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_PLAIN: dict[str, Check] = {
    "str": lambda value: isinstance(value, str),
    "int": _is_int,
    "float": _is_number,
    "bool": lambda value: isinstance(value, bool),
    "None": lambda value: value is None,
    "Any": lambda value: True,
}


def _annotation(text: str | type, namespace: dict[str, Any]) -> Check:
    if not isinstance(text, str):
        text = text.__name__
    alternatives = [_one(part, namespace) for part in _split(" ".join(text.split()), "|")]
    if len(alternatives) == 1:
        return alternatives[0]
    return lambda value: any(test(value) for test in alternatives)


def _one(text: str, namespace: dict[str, Any]) -> Check:
    plain = _PLAIN.get(text)
    if plain is not None:
        return plain
    if text == "Unset":
        unset = namespace["Unset"]
        return lambda value: isinstance(value, unset)
    head, _, rest = text.partition("[")
    if rest:
        inner = rest[:-1]
        if head == "list":
            item = _annotation(inner, namespace)
            return lambda value: isinstance(value, list) and all(item(v) for v in value)
        if head == "dict":
            return lambda value: isinstance(value, dict)
        if head == "Literal":
            allowed = {part.strip("\"'") for part in _split(inner, ",")}
            return lambda value: isinstance(value, str) and value in allowed
        raise TypeError(f"no check for the annotation {text!r}")
    found = namespace.get(text)
    if found is None:
        # Names imported for type checking only: every model is in the models package, which
        # parsing an answer has imported already.
        found = getattr(sys.modules[_MODELS], text)
    if isinstance(found, type):
        return _model_check(found)
    args = getattr(found, "__args__", None)  # a `Literal[...]` alias, e.g. an enum of strings
    if args is not None:
        allowed_values = set(args)
        return lambda value: isinstance(value, str) and value in allowed_values
    raise TypeError(f"no check for the annotation {text!r}")
