"""The message builders produce exactly the spec's JSON and refuse bad input before any request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from finchat_openapi.models import (
    CuiContent,
    FileContent,
    ImageContent,
    TextCardContent,
    TextContent,
)

from finchat_wrapper._content import (
    ContentUri,
    file_content,
    image_content,
    text_content,
    textcard_content,
)
from finchat_wrapper._cui import Card, cui_content

URI = "mxc://example.org/66696e6f6765656b732e636c75625e6f4670efda61000110b517"

Validate = Callable[[str, Any], None]


def test_text_content_is_the_spec_text_message(validate: Validate) -> None:
    content = text_content("hello world")
    assert isinstance(content, TextContent)
    assert content.to_dict() == {"msgtype": "m.text", "body": "hello world"}
    validate("TextContent", content.to_dict())
    validate("MessageContent", content.to_dict())


def test_image_content_with_every_info_field_matches_the_documents_example(
    validate: Validate,
) -> None:
    content = image_content(
        URI, body="test.png", mimetype="image/png", size=1234242, width=750, height=1334
    )
    assert isinstance(content, ImageContent)
    assert content.to_dict() == {
        "msgtype": "m.image",
        "body": "test.png",
        "info": {"mimetype": "image/png", "size": 1234242, "h": 1334, "w": 750},
        "o_url": URI,
    }
    validate("ImageContent", content.to_dict())
    validate("MessageContent", content.to_dict())


def test_image_content_without_info_fields_sends_no_info(validate: Validate) -> None:
    content = image_content(URI, body="a.png")
    assert content.to_dict() == {"msgtype": "m.image", "body": "a.png", "o_url": URI}
    validate("ImageContent", content.to_dict())


def test_file_content_matches_the_documents_example(validate: Validate) -> None:
    content = file_content(URI, body="test.pdf", mimetype="", size=1234242)
    assert isinstance(content, FileContent)
    assert content.to_dict() == {
        "msgtype": "m.file",
        "body": "test.pdf",
        "info": {"mimetype": "", "size": 1234242},
        "o_url": URI,
    }
    validate("FileContent", content.to_dict())
    validate("UserMessageContent", content.to_dict())


def test_file_content_of_size_zero_is_valid(validate: Validate) -> None:
    validate("FileContent", file_content(URI, body="empty", size=0).to_dict())


def test_textcard_content_matches_the_documents_example(validate: Validate) -> None:
    content = textcard_content(
        title="测试卡片",
        description="测试卡片的内容",
        url="https://example.org/home",
        btntext="发送",
        o_url=URI,
    )
    assert isinstance(content, TextCardContent)
    assert content.to_dict() == {
        "msgtype": "m.textcard",
        "body": "",
        "info": {
            "title": "测试卡片",
            "url": "https://example.org/home",
            "description": "测试卡片的内容",
            "btntext": "发送",
        },
        "o_url": URI,
    }
    validate("TextCardContent", content.to_dict())
    validate("MessageContent", content.to_dict())


def test_textcard_content_leaves_out_absent_optional_fields(validate: Validate) -> None:
    content = textcard_content(title="t", description="d", url="https://example.org/")
    assert content.to_dict() == {
        "msgtype": "m.textcard",
        "body": "",
        "info": {"title": "t", "url": "https://example.org/", "description": "d"},
    }
    validate("TextCardContent", content.to_dict())


def test_cui_content_of_a_card_is_the_spec_cui_message(validate: Validate) -> None:
    content = cui_content(Card().text("hi"))
    assert isinstance(content, CuiContent)
    assert content.to_dict()["body"] == "[交互卡片]"
    assert content.to_dict()["version"] == "0.1.0"
    validate("CuiContent", content.to_dict())
    validate("MessageContent", content.to_dict())
    assert cui_content(Card().text("hi"), body="a card").body == "a card"


def test_a_cui_message_is_not_valid_content_for_send_as_user(validate: Validate) -> None:
    # The spec's own guard, which send_as_user mirrors on the client side.
    with pytest.raises(jsonschema.ValidationError, match="is not valid"):
        validate("UserMessageContent", cui_content(Card().text("hi")).to_dict())


@pytest.mark.parametrize(
    "bad",
    [
        "http://example.org/abc",
        "mxc://example.org",
        "mxc://example.org/",
        "mxc:///abc",
        "mxc://example.org/a/b",
        "mxc://exa mple.org/abc",
        "mxc://example.org/abc\n",
        "",
    ],
)
def test_media_builders_refuse_an_o_url_that_is_not_an_mxc_uri(bad: str) -> None:
    with pytest.raises(ValueError, match="not a content URI"):
        image_content(bad, body="a.png")
    with pytest.raises(ValueError, match="not a content URI"):
        file_content(bad, body="a.pdf")
    with pytest.raises(ValueError, match="not a content URI"):
        textcard_content(title="t", description="d", url="https://example.org/", o_url=bad)


@pytest.mark.parametrize("field", ["size", "width", "height"])
def test_image_content_refuses_negative_sizes(field: str) -> None:
    with pytest.raises(ValueError, match=f"{field} must not be negative"):
        image_content(URI, body="a.png", **{field: -1})


def test_file_content_refuses_a_negative_size() -> None:
    with pytest.raises(ValueError, match="size must not be negative"):
        file_content(URI, body="a.pdf", size=-5)


@pytest.mark.parametrize("value", [True, 1.5, "12"])
def test_sizes_must_be_ints(value: object) -> None:
    with pytest.raises(TypeError, match="size must be an int"):
        file_content(URI, body="a.pdf", size=value)  # type: ignore[arg-type]


def test_text_content_refuses_a_body_that_is_not_a_str() -> None:
    with pytest.raises(TypeError, match="body must be a str, not bytes"):
        text_content(b"hello")  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["example.org/home", "/home", "", "https://exa mple.org/"])
def test_textcard_content_refuses_a_url_that_is_not_absolute(url: str) -> None:
    with pytest.raises(ValueError, match="url must be an absolute URL"):
        textcard_content(title="t", description="d", url=url)


def test_content_uri_exposes_server_and_media_id() -> None:
    uri = ContentUri("mxc://example.org/abc123")
    assert (uri.server, uri.media_id) == ("example.org", "abc123")
    assert uri == "mxc://example.org/abc123"
    assert ContentUri(uri) is uri
    assert repr(uri) == "ContentUri('mxc://example.org/abc123')"


def test_content_uri_refuses_what_is_not_a_str() -> None:
    with pytest.raises(TypeError, match="a content URI is a str, not bytes"):
        ContentUri(b"mxc://example.org/abc")  # type: ignore[arg-type]


def test_builders_put_a_plain_str_on_the_wire_for_a_content_uri() -> None:
    content = image_content(ContentUri(URI), body="a.png")
    assert type(content.to_dict()["o_url"]) is str
