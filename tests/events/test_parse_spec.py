"""The checks the parser runs are the spec's event schemas, not a copy gone stale.

The parser checks every field of an event before the generated `from_dict` runs (which would
raise a bare KeyError, or let a wrong type through); those checks are read off the generated
models (`events._shapes`). Here each one is held to the schema of its event in
`openapi/finchat.yaml`: the same required and optional fields, and for each field a value of the
spec's type accepted and values of other types refused, recursively.
"""

from __future__ import annotations

import copy
import typing
from typing import Any

import attrs
import finchat_openapi.models
import pytest
import yaml
from finchat_openapi.models import SearchEvent
from finchat_openapi.types import Unset

from finchat_wrapper._refs import merged
from finchat_wrapper.events import InvalidEventError, _parse, _shapes

from .conftest import SPEC_PATH

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
MODELS = [*_parse.KNOWN_MODELS, SearchEvent]


def schema(name: str) -> dict[str, Any]:
    return merged(SPEC, {"$ref": f"#/components/schemas/{name}"})


def resolved(node: dict[str, Any]) -> dict[str, Any]:
    return merged(SPEC, node)


def valid(node: dict[str, Any]) -> Any:
    """A value of the schema, every property present."""
    node = resolved(node)
    if "const" in node:
        return node["const"]
    kind = node.get("type")
    if kind == "string":
        return node.get("enum", ["x"])[0]
    if kind == "integer":
        return 7
    if kind == "array":
        return [valid(node["items"])]
    assert kind == "object", node
    return {name: valid(prop) for name, prop in node.get("properties", {}).items()}


WRONG = {"string": [7, True, [], {}], "integer": ["7", True, 1.5, []], "array": ["x", {}, 7]}


def test_the_parser_knows_every_kind_of_the_spec_but_the_open_one() -> None:
    event = SPEC["components"]["schemas"]["Event"]
    variants = [ref["$ref"].rsplit("/", 1)[1] for ref in event["oneOf"]]
    assert variants[-1] == "OtherEvent"
    assert sorted(variants[:-1]) == sorted(model.__name__ for model in _parse.KNOWN_MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_events_fields_are_those_of_its_schema_required_and_optional(model: type) -> None:
    def compare(shape: _shapes.Shape, node: dict[str, Any], where: str) -> None:
        node = resolved(node)
        properties = node.get("properties", {})
        constants = {key: values for key, _, values in shape.constants}
        required = set(node.get("required", ())) - set(constants)
        assert {key for key, _, _ in shape.required} == required, where
        assert {key for key, _, _ in shape.optional} == set(properties) - required - set(
            constants
        ), where
        for key, values in constants.items():
            assert values == (resolved(properties[key])["const"],), where
        for key, _, _ in (*shape.required, *shape.optional):
            prop = resolved(properties[key])
            target = prop["items"] if prop.get("type") == "array" else prop
            target = resolved(target)
            if target.get("type") == "object" and target.get("properties"):
                nested = _nested_shape(shape.model, key)
                compare(nested, target, f"{where}.{key}")

    compare(_shapes.shape_of(model), schema(model.__name__), model.__name__)


def _nested_shape(model: type, key: str) -> _shapes.Shape:
    """The shape of the nested model (or list item model) behind field `key` of `model`."""
    namespace = {**vars(finchat_openapi.models), "Unset": Unset}
    hints = typing.get_type_hints(model, localns=namespace)
    [field] = [f for f in attrs.fields(model) if _shapes.json_key(f.name) == key]
    hint = hints[field.name]
    members = [m for m in typing.get_args(hint) or (hint,) if m is not Unset]
    (target,) = members
    if typing.get_origin(target) is list:
        (target,) = typing.get_args(target)
    return _shapes.shape_of(target)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_value_of_the_spec_passes_and_each_wrong_or_missing_field_is_refused(
    model: type,
) -> None:
    node = schema(model.__name__)
    shape = _shapes.shape_of(model)
    whole = valid(node)
    assert shape.build(whole, "e").to_dict() == whole

    def mutations(node: dict[str, Any], value: Any, path: tuple[Any, ...]) -> Any:
        node = resolved(node)
        kind = node.get("type")
        if kind == "object":
            required = set(node.get("required", ()))
            for name, prop in node.get("properties", {}).items():
                if name in required and resolved(prop).get("const") is None:
                    yield (*path, name), "missing"
                yield from mutations(prop, value[name], (*path, name))
            if path:
                for wrong in ("x", [], 7):
                    yield path, wrong
        elif kind == "array":
            for wrong in WRONG["array"]:
                yield path, wrong
            yield from mutations(node["items"], value[0], (*path, 0))
        elif "const" not in node and "enum" not in node:
            for wrong in WRONG[kind]:
                yield path, wrong

    for path, change in mutations(node, whole, ()):
        broken = _apply(whole, path, change)
        with pytest.raises(InvalidEventError):
            shape.build(broken, "e")


def _apply(value: Any, path: tuple[Any, ...], change: Any) -> Any:
    result = copy.deepcopy(value)
    target = result
    for step in path[:-1]:
        target = target[step]
    if change == "missing":
        del target[path[-1]]
    else:
        target[path[-1]] = change
    return result


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_optional_field_may_be_left_out_or_null(model: type) -> None:
    shape = _shapes.shape_of(model)
    whole = valid(schema(model.__name__))
    optional = {key for key, _, _ in shape.optional}
    minimal = {k: v for k, v in whole.items() if k not in optional}
    assert shape.build(minimal, "e").to_dict() == minimal
    nulls = {**minimal, **dict.fromkeys(optional)}
    assert shape.build(nulls, "e").to_dict() == minimal


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_what_a_shape_builds_is_what_the_generated_from_dict_builds(model: type) -> None:
    shape = _shapes.shape_of(model)
    whole = valid(schema(model.__name__))
    extra = {**whole, "shiny": {"new": [1]}}  # a field the spec does not declare
    for data in (whole, extra):
        built = shape.build(data, "e")
        assert built == model.from_dict(data)  # type: ignore[attr-defined]
        assert built.additional_properties == ({"shiny": {"new": [1]}} if data is extra else {})


def test_a_constant_field_of_another_value_is_refused() -> None:
    shape = _shapes.shape_of(SearchEvent)
    data = {**valid(schema("SearchEvent")), "type": "finstore.shortcut.other"}
    with pytest.raises(
        InvalidEventError, match=r"field 'type' must be 'finstore\.shortcut\.search'"
    ):
        shape.build(data, "e")
