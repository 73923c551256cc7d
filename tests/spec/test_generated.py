"""The generated clients cover the specs and parse every documented payload into the right class."""

from __future__ import annotations

import copy
import importlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import IAM_SPEC, IAM_SPEC_PATH, PACKAGES, ROOT, SPEC, SPEC_PATH, operations, resolve
from .test_examples import EXAMPLES
from .test_spec import IAM_OPERATIONS, OPERATIONS

GENERATED = ROOT / "generated"


def models(package: str) -> Any:
    return importlib.import_module(f"{package}.models")


@pytest.mark.parametrize("package", sorted(PACKAGES.values()))
def test_generated_package_is_typed_and_has_no_stray_files(package: str) -> None:
    root = GENERATED / package
    assert (root / "py.typed").exists()
    stray = [
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".typed"} and "__pycache__" not in p.parts
    ]
    assert stray == []


@pytest.mark.parametrize(
    ("package", "operation_id"),
    [("finchat_openapi", op) for op in sorted(OPERATIONS)]
    + [("finchat_iam_openapi", op) for op in sorted(IAM_OPERATIONS)],
)
def test_every_operation_has_sync_and_async_functions(package: str, operation_id: str) -> None:
    root = GENERATED / package
    [module_path] = list((root / "api").glob(f"*/{operation_id}.py"))
    module = importlib.import_module(
        f"{package}." + ".".join(module_path.relative_to(root).with_suffix("").parts)
    )
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(module, name))


def _model_name(document: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, bool]:
    """(the component the schema names, whether it is a list of it); None for plain JSON."""
    if schema.get("type") == "array":
        name, _ = _model_name(document, schema["items"])
        return name, True
    ref = schema.get("$ref")
    if ref is None:
        return None, False
    name = ref.rsplit("/", 1)[1]
    target = resolve(document, schema)
    # A oneOf component has no class of its own: its variants do.
    return (None if "oneOf" in target or target.get("type") == "string" else name), False


MODEL_EXAMPLES = [
    (where, document, schema, value)
    for where, document, _, schema, value in EXAMPLES
    if not where.startswith("schema ")
    and " header " not in where
    and _model_name(document, schema)[0] is not None
]


@pytest.mark.parametrize(
    ("where", "document", "schema", "value"), MODEL_EXAMPLES, ids=[e[0] for e in MODEL_EXAMPLES]
)
def test_each_example_parses_into_its_generated_class_and_back(
    where: str, document: dict[str, Any], schema: dict[str, Any], value: Any
) -> None:
    name, is_list = _model_name(document, schema)
    package = "finchat_iam_openapi" if document is IAM_SPEC else "finchat_openapi"
    cls = getattr(models(package), str(name))
    items = value if is_list else [value]
    for item in items:
        parsed = cls.from_dict(item)
        assert type(parsed) is cls
        assert parsed.to_dict() == item, where


def _event_examples() -> dict[str, Any]:
    content = SPEC["webhooks"]["event"]["put"]["requestBody"]["content"]["application/json"]
    return {name: ex["value"] for name, ex in content["examples"].items()}


EXPECTED_EVENT_CLASS = {
    "directText": "MessageEvent",
    "groupMention": "MentionEvent",
    "allRoomsMessage": "AllRoomsMessageEvent",
    "roomCreated": "RoomCreateEvent",
    "cuiSubmitted": "CuiSubmitEvent",
    "webhook": "WebhookEvent",
    "appApplication": "AppApplicationEvent",
    "appStatus": "AppStatusEvent",
    "appVisibility": "AppVisibilityEvent",
    "sensitiveWord": "SensitiveWordEvent",
}


def test_each_push_kind_parses_into_its_own_class() -> None:
    examples = _event_examples()
    assert set(examples) == set(EXPECTED_EVENT_CLASS)
    for name, body in examples.items():
        parsed = models("finchat_openapi").EventCallback.from_dict(body)
        assert type(parsed.event).__name__ == EXPECTED_EVENT_CLASS[name], name
        assert parsed.app_id == "5cf29aec6ccfd004ccd28075"
        assert parsed.to_dict() == body


def _event(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(_event_examples()["directText"]["event"])
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            _event(content={"msgtype": "m.image", "body": "a.png", "url": "mxc://x/y"}),
            "MessageEvent",
        ),
        (
            _event(content={"msgtype": "m.location", "body": "here", "geo_uri": "geo:1,2"}),
            "MessageEvent",
        ),
        (
            _event(receivers=["@a:x"], content={"msgtype": "m.file", "body": "f"}),
            "AllRoomsMessageEvent",
        ),
        (_event(type="finstore.room.leave", content={"reason": "bye"}), "OtherEvent"),
    ],
    ids=["image", "other-msgtype", "privileged-file", "unknown-type"],
)
def test_other_msgtypes_and_unknown_types_still_parse(event: dict[str, Any], expected: str) -> None:
    parsed = models("finchat_openapi").EventCallback.from_dict({"token": "t", "event": event})
    assert type(parsed.event).__name__ == expected
    assert parsed.event.to_dict() == event


def test_a_message_event_always_has_its_room() -> None:
    m = models("finchat_openapi")
    event = m.EventCallback.from_dict({"token": "t", "event": _event()}).event
    assert isinstance(event, m.MessageEvent)
    assert event.room_id == "!jEsUZKDJdhlrceRyVU:example.org"
    # `room_id: str`, not `str | Unset`: a bot replies to it without a cast.
    assert m.MessageEvent.__annotations__["room_id"] == "str"
    assert m.MessageEvent.__annotations__["content"] == "MessageEventContent"


def test_each_message_example_parses_into_its_own_content_class() -> None:
    m = models("finchat_openapi")
    expected = {
        "text": "TextContent",
        "file": "FileContent",
        "image": "ImageContent",
        "textcard": "TextCardContent",
        "cui": "CuiContent",
    }
    for op_id, request in (
        ("send_message", m.SendMessageRequest),
        ("send_webhook_message", m.SendWebhookMessageRequest),
    ):
        _, _, op = operations(SPEC)[op_id]
        for name, example in op["requestBody"]["content"]["application/json"]["examples"].items():
            parsed = request.from_dict(example["value"])
            assert type(parsed.content).__name__ == expected[name], (op_id, name)


def test_every_cui_element_parses_into_its_own_class() -> None:
    [example] = SPEC["components"]["schemas"]["CuiInfo"]["examples"]
    info = models("finchat_openapi").CuiInfo.from_dict(example)
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


def test_the_search_request_and_result_parse_into_their_classes() -> None:
    m = models("finchat_openapi")
    op = SPEC["webhooks"]["shortcutSearch"]["post"]
    request = op["requestBody"]["content"]["application/json"]["examples"]["doc"]["value"]
    callback = m.SearchCallback.from_dict(request)
    assert type(callback.event) is m.SearchEvent
    assert (callback.event.content.search_text, callback.event.content.page_no) == ("my text", 0)
    answer = op["responses"]["200"]["content"]["application/json"]["examples"]["doc"]["value"]
    result = m.SearchResult.from_dict(answer)
    assert (result.layout, result.content.total, result.content.opentype) == ("list", 20, "inapp")
    assert [type(item).__name__ for item in result.content.list_] == ["SearchResultItem"]


def test_iam_token_answers_keep_keycloaks_field_names() -> None:
    _, _, op = operations(IAM_SPEC)["get_token"]
    answer = op["responses"]["200"]["content"]["application/json"]["examples"]["doc"]["value"]
    tokens = models("finchat_iam_openapi").TokenSet.from_dict(answer)
    assert (tokens.refresh_expires_in, tokens.not_before_policy) == (52342343, 1596531955)
    assert tokens.additional_properties == {}


def test_iam_form_bodies_parse_into_their_grant() -> None:
    m = models("finchat_iam_openapi")
    _, _, op = operations(IAM_SPEC)["get_token"]
    examples = op["requestBody"]["content"]["application/x-www-form-urlencoded"]["examples"]
    code = m.AuthorizationCodeGrant.from_dict(examples["authorizationCode"]["value"])
    refresh = m.RefreshTokenGrant.from_dict(examples["refreshToken"]["value"])
    assert (code.grant_type, refresh.grant_type) == ("authorization_code", "refresh_token")


def test_unknown_response_fields_are_kept() -> None:
    user = models("finchat_openapi").UserDetail.from_dict({"fcid": "@a:b", "groups": ["d"]})
    assert user.additional_properties == {"groups": ["d"]}


def _strip_portability_additions(document: dict[str, Any]) -> dict[str, Any]:
    """The spec without its discriminators and its `*/*` upload type."""
    document = copy.deepcopy(document)
    for schema in document["components"]["schemas"].values():
        schema.pop("discriminator", None)
    for item in document["paths"].values():
        for op in item.values():
            op.get("requestBody", {}).get("content", {}).pop("*/*", None)
    return document


def test_discriminators_and_the_wildcard_upload_type_leave_the_generated_client_unchanged(
    tmp_path: Path,
) -> None:
    for spec_path, config, package in (
        (SPEC_PATH, "generator-config.yaml", "finchat_openapi"),
        (IAM_SPEC_PATH, "generator-config-iam.yaml", "finchat_iam_openapi"),
    ):
        stripped = tmp_path / spec_path.name
        document = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        stripped.write_text(
            yaml.safe_dump(
                _strip_portability_additions(document), allow_unicode=True, sort_keys=False
            )
        )
        out = tmp_path / package
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "openapi-python-client"),
                "generate",
                "--path",
                str(stripped),
                "--config",
                str(ROOT / "openapi" / config),
                "--meta",
                "none",
                "--output-path",
                str(out),
            ],
            check=True,
            capture_output=True,
            cwd=tmp_path,
            env={"PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin"},
        )
        (out / "py.typed").touch()
        diff = subprocess.run(
            ["diff", "-r", "-x", "__pycache__", str(out), str(GENERATED / package)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert diff.returncode == 0, diff.stdout[:2000]
