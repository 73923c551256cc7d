"""Building an event's generated model from JSON, checked, with checks read off the models.

The generated `from_dict` trusts its input: a missing field is a bare KeyError, a wrong type
passes silently (an `int` where the model says `str`), a JSON null becomes a value of no declared
type. So a `Shape` builds each event instead: every field its model declares, required or
optional, checked for the JSON type the model's annotation gives (`str`, `int`, `list[str]`, a
nested model, a list of nested models), then given to the model's constructor, the fields it
does not declare kept in `additional_properties`, as `from_dict` does. The shapes are made once,
at import, from the models' annotations, which the generator wrote from `openapi/finchat.yaml`:
a spec change regenerates the models and the checks follow. tests/events/test_parse_spec.py holds
them to the spec, and holds what they build to what `from_dict` builds.

Building (rather than checking, then `from_dict`) reads each field once: the receiver's hot path.
It never modifies the caller's data; an optional field that is JSON null counts as absent.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, TypeAlias

import attrs
import finchat_openapi.models as _models
from finchat_openapi.types import Unset

from .._errors import FinChatError

__all__ = ["Check", "InvalidEventError", "Shape", "json_key", "shape_of"]


class InvalidEventError(FinChatError, ValueError):
    """The body is not JSON, not a callback `{token, event}`, or a known event missing a field.

    The message names what is wrong and where; it never quotes the token or a value.
    """


# A check takes a field's value, where it is (for messages) and the field's name, and returns
# the value the model holds (a nested object built as its model), or raises InvalidEventError.
Check: TypeAlias = Callable[[Any, str, str], Any]

_NAMESPACE: Final = {**vars(_models), "Unset": Unset}
# Fields that are not data of the event: the kind's constant (the parser dispatched on it) and
# the generated catch-all of unknown keys.
_SKIPPED: Final = frozenset({"additional_properties"})


def json_key(attribute: str) -> str:
    """The JSON name of a generated attribute: the generator appends `_` to names that are
    Python builtins or keywords (`type_`, `list_`)."""
    return attribute[:-1] if attribute.endswith("_") else attribute


def _wrong(where: str, name: str, expected: str) -> InvalidEventError:
    return InvalidEventError(f"{where}: field {name!r} must be {expected}")


def _string(value: Any, where: str, name: str) -> Any:
    if type(value) is str or isinstance(value, str):
        return value
    raise _wrong(where, name, "a string")


def _integer(value: Any, where: str, name: str) -> Any:
    # bool is an int subclass; a JSON `true` is not a timestamp.
    if type(value) is int or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _wrong(where, name, "an integer")


def is_object(value: Any) -> bool:
    # dict first: the ABC check is slow, and decoded JSON is always a dict.
    return type(value) is dict or isinstance(value, Mapping)


def _list_of(item: Check, expected: str) -> Check:
    def check(value: Any, where: str, name: str) -> Any:
        if not isinstance(value, list):
            raise _wrong(where, name, expected)
        return [item(element, where, f"{name}[{index}]") for index, element in enumerate(value)]

    return check


@attrs.frozen
class Shape:
    """What one generated model requires and allows, as JSON: `(key, attribute, check)`."""

    model: type
    required: tuple[tuple[str, str, Check], ...]
    optional: tuple[tuple[str, str, Check], ...]
    constants: tuple[tuple[str, str, tuple[str, ...]], ...]
    """The `Literal` fields (an event's `type`), with the values they may take."""
    open_keys: bool
    """Whether the model keeps undeclared keys (`additional_properties`)."""

    def build(self, data: Mapping[str, Any], where: str) -> Any:
        """The model of `data`, every field checked first; InvalidEventError names the one
        that fails."""
        rest = dict(data)
        values: dict[str, Any] = {}
        for key, attribute, check in self.required:
            value = rest.pop(key, None)
            if value is None:
                raise InvalidEventError(f"{where}: required field {key!r} is missing")
            values[attribute] = check(value, where, key)
        for key, attribute, check in self.optional:
            if key in rest:
                value = rest.pop(key)
                if value is not None:
                    values[attribute] = check(value, where, key)
        for key, attribute, allowed in self.constants:
            value = rest.pop(key, None)
            if value not in allowed:
                raise InvalidEventError(f"{where}: field {key!r} must be {allowed[0]!r}")
            values[attribute] = value
        built = self.model(**values)
        if self.open_keys:
            built.additional_properties = rest
        return built


def _nested(shape: Shape) -> Check:
    def check(value: Any, where: str, name: str) -> Any:
        if not is_object(value):
            raise _wrong(where, name, "an object")
        return shape.build(value, f"{where} {name}")

    return check


def _check_for(hint: Any, owner: str) -> Check:
    if hint is str:
        return _string
    if hint is int:
        return _integer
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        expected = "a list of strings" if item is str else f"a list of {_noun(item)}"
        return _list_of(_check_for(item, owner), expected)
    if attrs.has(hint):
        return _nested(shape_of(hint))
    # A generated annotation this module does not know yet: fail at import, in the tests, rather
    # than let such a field through unchecked.
    raise TypeError(f"{owner}: no check for a field annotated {hint!r}")


def _noun(hint: Any) -> str:
    return "objects" if attrs.has(hint) else f"{getattr(hint, '__name__', hint)} values"


_CACHE: dict[type, Shape] = {}


def shape_of(model: type) -> Shape:
    """The shape of a generated model, read off its annotations (once per model)."""
    shape = _CACHE.get(model)
    if shape is not None:
        return shape
    hints = typing.get_type_hints(model, localns=_NAMESPACE)
    required: list[tuple[str, str, Check]] = []
    optional: list[tuple[str, str, Check]] = []
    constants: list[tuple[str, str, tuple[str, ...]]] = []
    fields = attrs.fields(model)
    for field in fields:
        if field.name in _SKIPPED:
            continue
        hint = hints[field.name]
        key = json_key(field.name)
        if typing.get_origin(hint) is Literal:
            constants.append((key, field.name, typing.get_args(hint)))
            continue
        members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        present = [m for m in members if m is not Unset]
        if len(present) != 1:
            raise TypeError(f"{model.__name__}.{field.name}: no check for {hint!r}")
        target = optional if len(present) < len(members) else required
        target.append((key, field.name, _check_for(present[0], model.__name__)))
    open_keys = any(field.name == "additional_properties" for field in fields)
    shape = Shape(model, tuple(required), tuple(optional), tuple(constants), open_keys)
    _CACHE[model] = shape
    return shape
