"""The generated client covers the spec and parses every documented payload into the right class."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .test_spec import OPERATIONS

PACKAGE = ROOT / "generated" / "finchat_openapi"


def test_generated_package_is_typed() -> None:
    assert (PACKAGE / "py.typed").exists()


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_has_sync_and_async_functions(operation_id: str) -> None:
    [module_path] = list((PACKAGE / "api").glob(f"*/{operation_id}.py"))
    module = importlib.import_module(
        "finchat_openapi." + ".".join(module_path.relative_to(PACKAGE).with_suffix("").parts)
    )
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(module, name))


def _event_examples(spec: dict[str, Any]) -> dict[str, Any]:
    content = spec["webhooks"]["event"]["put"]["requestBody"]["content"]["application/json"]
    return {name: ex["value"] for name, ex in content["examples"].items()}


EXPECTED_EVENT_CLASS = {
    "directText": "MessageEvent",
    "groupMention": "MentionEvent",
    "roomCreated": "RoomCreateEvent",
    "cuiSubmitted": "CuiSubmitEvent",
    "appApplication": "AppApplicationEvent",
}


def test_each_event_example_parses_into_its_own_class(spec: dict[str, Any]) -> None:
    from finchat_openapi.models import EventCallback

    examples = _event_examples(spec)
    assert set(examples) == set(EXPECTED_EVENT_CLASS)
    for name, body in examples.items():
        parsed = EventCallback.from_dict(body)
        assert type(parsed.event).__name__ == EXPECTED_EVENT_CLASS[name], name
        assert parsed.to_dict() == body


def test_each_message_example_parses_into_its_own_content_class(spec: dict[str, Any]) -> None:
    from finchat_openapi.models import SendMessageRequest

    content = spec["paths"]["/api/v1/finchat/open-api/message/send"]["post"]["requestBody"][
        "content"
    ]
    expected = {
        "text": "TextContent",
        "file": "FileContent",
        "image": "ImageContent",
        "textcard": "TextCardContent",
        "cui": "CuiContent",
    }
    for name, example in content["application/json"]["examples"].items():
        parsed = SendMessageRequest.from_dict(example["value"])
        assert type(parsed.content).__name__ == expected[name], name
        assert parsed.to_dict() == example["value"]


def test_every_cui_element_parses_into_its_own_class(spec: dict[str, Any]) -> None:
    from finchat_openapi.models import CuiInfo

    [example] = spec["components"]["schemas"]["CuiInfo"]["examples"]
    info = CuiInfo.from_dict(example)
    assert [type(e).__name__ for e in info.elements] == [
        "CuiContextText",
        "CuiDivider",
        "CuiImage",
        "CuiTextInput",
        "CuiDropdownInput",
        "CuiSubmitButton",
        "CuiReplyButton",
        "CuiOpenUrlButton",
    ]
    assert info.to_dict() == example


def test_unknown_response_fields_are_kept() -> None:
    from finchat_openapi.models import UserDetail

    user = UserDetail.from_dict({"fcid": "@a:b", "avatar": "mxc://b/c"})
    assert user.additional_properties == {"avatar": "mxc://b/c"}


def test_generated_tree_has_no_stray_files() -> None:
    allowed = {".py", ".typed"}
    stray = [
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in allowed and "__pycache__" not in p.parts
    ]
    assert stray == []
    assert isinstance(PACKAGE, Path)
