"""The field checks of `events._parse` are the event schemas of the spec, not a copy gone stale.

The parser checks every required field before the generated `from_dict` runs (which would raise
a bare KeyError); those checks are written out in `_parse`. Here each one is read against the
schema of its event in `openapi/finchat.yaml`, so that a spec change fails here first.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from finchat_wrapper._refs import merged
from finchat_wrapper.events import _parse

from .conftest import SPEC_PATH

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))

# The check the parser must use for each JSON type of the spec.
CHECK_OF = {"string": _parse._is_str, "integer": _parse._is_int, "object": _parse._is_object}


def schema(name: str) -> dict[str, Any]:
    return merged(SPEC, {"$ref": f"#/components/schemas/{name}"})


def checks_of(properties: dict[str, Any], names: set[str]) -> dict[str, Any]:
    return {name: CHECK_OF.get(merged(SPEC, properties[name]).get("type")) for name in names}


KINDS = sorted(_parse._KINDS.items(), key=lambda item: item[1].model.__name__)

# Optional fields revision 2 added to every event that the parser passes on unchecked, until the
# events of revision 2 (issue 16) check them. Only this list may differ from the spec.
NOT_CHECKED_YET = {"receivers", "origin_event", "webhook_id", "app_id"}


@pytest.mark.parametrize(("key", "kind"), KINDS, ids=[k.model.__name__ for _, k in KINDS])
def test_an_events_required_and_optional_fields_are_those_of_its_schema(
    key: tuple[str, str | None], kind: Any
) -> None:
    event = schema(kind.model.__name__)
    properties, required = event["properties"], set(event["required"])
    assert properties["type"]["const"] == key[0]
    own_required = required - {"type", "content"}
    assert {**_parse._BASE_REQUIRED, **kind.extra} == checks_of(properties, own_required)
    # The base's optional checks, but for the fields this kind requires (checked as required).
    base_optional = {n: c for n, c in _parse._BASE_OPTIONAL.items() if n not in own_required}
    optional = set(properties) - required - NOT_CHECKED_YET
    assert checks_of(properties, optional) == base_optional


@pytest.mark.parametrize(("key", "kind"), KINDS, ids=[k.model.__name__ for _, k in KINDS])
def test_an_events_content_checks_are_the_required_fields_of_its_content_schema(
    key: tuple[str, str | None], kind: Any
) -> None:
    content = merged(SPEC, schema(kind.model.__name__)["properties"]["content"])
    required = set(content["required"])
    if key[1] is not None:
        # The kind's msgtype is one its schema takes: its `const`, or any but a `not` one.
        msgtype = content["properties"]["msgtype"]
        if "const" in msgtype:
            assert msgtype["const"] == key[1]
        else:
            assert msgtype["not"]["const"] != key[1]
    arrays = {n for n in required if content["properties"][n].get("type") == "array"}
    assert set(kind.content) == required
    assert {n: c for n, c in kind.content.items() if n not in arrays} == checks_of(
        content["properties"], required - arrays
    )
    for name in arrays:
        items = merged(SPEC, content["properties"][name]["items"])
        check_items(kind.content[name], items)


def check_items(check: Any, items: dict[str, Any]) -> None:
    """`check` accepts exactly the lists whose items have the spec's required string fields."""
    required = set(items["required"])
    optional = set(items["properties"]) - required
    assert all(items["properties"][n]["type"] == "string" for n in required | optional)
    whole = {n: "x" for n in required | optional}
    assert check([whole])
    assert check([{n: "x" for n in required}])
    for name in required:
        assert not check([{n: v for n, v in whole.items() if n != name}]), name
        assert not check([{**whole, name: 1}]), name
    for name in optional:
        assert not check([{**whole, name: 1}]), name
        assert check([{**whole, name: None}]), name
