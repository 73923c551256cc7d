"""The CUI card builder covers every element of the CUI document and refuses inconsistent cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from finchat_openapi.models import CuiContent, CuiContextText, CuiReplyButton, CuiTextInput

from finchat_wrapper._cui import CUI_BODY, CUI_VERSION, Card, Option

Validate = Callable[[str, Any], None]
IMAGE = "mxc://dev.finogeeks.club/6465762e66696e6f6765656b732e636c75625e816df2881cef00012a43ed"


def test_a_three_element_form_reads_in_one_line_and_is_a_valid_cui_message(
    validate: Validate,
) -> None:
    card = Card(shared=True).text("Apply for a POC").input("company", placeholder="Company")
    content = card.submit("Send").to_content()
    assert isinstance(content, CuiContent)
    assert content.to_dict() == {
        "msgtype": "m.cui",
        "body": CUI_BODY,
        "version": CUI_VERSION,
        "info": {
            "type": "form",
            "status": "input",
            "shared": True,
            "fcids": [],
            "elements": [
                {"type": "context", "subtype": "text", "value": "Apply for a POC"},
                {
                    "type": "input",
                    "subtype": "text-input",
                    "key": "company",
                    "placeholder": "Company",
                },
                {"type": "button", "subtype": "submit", "value": "Send", "action": "submit"},
            ],
        },
    }
    validate("CuiContent", content.to_dict())


def test_every_element_of_the_document_builds_the_documents_json(
    spec_components: dict[str, Any], validate: Validate
) -> None:
    card = (
        Card(status="input", shared=True)
        .text("FinChat私有化部署POC申请")
        .divider(height=1, background="#666")
        .image(IMAGE)
        .input("company", placeholder="公司名称", value="23")
        .dropdown(
            "test", [Option("test", "1"), Option("test2", "2")], placeholder="test select", value=""
        )
        .submit("提交")
        # The document's example reuses the dropdown's key here; a real card may not (see below).
        .reply("answer", "测试reply", status="xxx")
        .open_url("FinChat", url="https://www.finogeeks.com/")
    )
    expected = spec_components["schemas"]["CuiInfo"]["examples"][0]
    expected["elements"][6]["key"] = "answer"
    info = card.to_info().to_dict()
    assert info == expected
    validate("CuiInfo", info)
    for element, kind in zip(
        info["elements"],
        [
            "CuiContextText",
            "CuiDivider",
            "CuiImage",
            "CuiTextInput",
            "CuiDropdownInput",
            "CuiSubmitButton",
            "CuiReplyButton",
            "CuiOpenUrlButton",
        ],
        strict=True,
    ):
        validate(kind, element)


@pytest.mark.parametrize("status", ["input", "loading", "disable"])
def test_every_card_status_is_sent(status: Any, validate: Validate) -> None:
    info = Card(status=status).text("x").to_info().to_dict()
    assert info["status"] == status
    validate("CuiInfo", info)


def test_a_per_user_card_carries_its_fcids(validate: Validate) -> None:
    content = Card(shared=False, fcids=["@a:example.org", "@b:example.org"]).text("x").to_content()
    assert content.info.shared is False
    assert content.to_dict()["info"]["fcids"] == ["@a:example.org", "@b:example.org"]
    validate("CuiContent", content.to_dict())


def test_a_dropdown_accepts_plain_strings_and_label_value_pairs() -> None:
    info = Card().dropdown("size", ["S", ("Large", "L")]).to_info().to_dict()
    assert info["elements"][0]["options"] == [
        {"label": "S", "value": "S"},
        {"label": "Large", "value": "L"},
    ]


def test_a_divider_without_options_sends_only_its_type() -> None:
    assert Card().divider().to_info().to_dict()["elements"] == [
        {"type": "divider", "subtype": "divider"}
    ]


def test_two_inputs_with_one_key_are_refused() -> None:
    card = Card().input("company")
    with pytest.raises(ValueError, match="key 'company' is already used"):
        card.dropdown("company", ["a"])
    assert card.keys == ("company",)
    assert len(card.elements) == 1


def test_reply_buttons_answering_one_question_share_its_key() -> None:
    card = Card().text("Approve?").reply("approve", "yes").reply("approve", "no")
    assert card.keys == ("approve",)
    assert [e.value for e in card.elements if isinstance(e, CuiReplyButton)] == ["yes", "no"]


def test_the_same_reply_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="reply 'yes' under key 'approve' is already"):
        Card().reply("approve", "yes").reply("approve", "yes")


def test_a_reply_may_not_reuse_an_input_key_nor_an_input_a_reply_key() -> None:
    with pytest.raises(ValueError, match="already used by an input"):
        Card().input("k").reply("k", "v")
    with pytest.raises(ValueError, match="key 'k' is already used"):
        Card().reply("k", "v").input("k")


def test_a_shared_card_refuses_fcids() -> None:
    with pytest.raises(ValueError, match="shared=False"):
        Card(shared=True, fcids=["@a:example.org"])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"status": "done"}, ValueError, "status must be one of"),
        ({"shared": "yes"}, TypeError, "shared must be a bool"),
        ({"shared": False, "fcids": "@a:example.org"}, TypeError, "not a single str"),
        ({"shared": False, "fcids": ["alice"]}, ValueError, "invalid fcid 'alice'"),
        ({"shared": False, "fcids": ["@a:x", "@a:x"]}, ValueError, "must not repeat"),
    ],
)
def test_bad_card_settings_are_refused(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        Card(**kwargs)


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda c: c.divider(height=0), ValueError, "positive number of pixels"),
        (lambda c: c.divider(height=True), ValueError, "positive number of pixels"),
        (lambda c: c.divider(background=""), ValueError, "background must not be empty"),
        (lambda c: c.image("https://example.org/a.png"), ValueError, "not a content URI"),
        (lambda c: c.input(""), ValueError, "key must not be empty"),
        (lambda c: c.input("k", placeholder=3), TypeError, "placeholder must be a str"),
        (lambda c: c.dropdown("k", []), ValueError, "needs at least one option"),
        (lambda c: c.dropdown("k", "abc"), TypeError, "not one str"),
        (lambda c: c.dropdown("k", ["a", ("b", "a")]), ValueError, "same value"),
        (lambda c: c.dropdown("k", ["a"], value="b"), ValueError, "not one of its options"),
        (lambda c: c.dropdown("k", [("a", "b", "c")]), TypeError, "an option is"),
        (lambda c: c.submit(""), ValueError, "label must not be empty"),
        (lambda c: c.reply("k", ""), ValueError, "value must not be empty"),
        (lambda c: c.open_url("Docs", url="www.example.org"), ValueError, "absolute URL"),
        (lambda c: c.add({"type": "context"}), TypeError, "not a CUI element: dict"),
    ],
)
def test_bad_elements_are_refused_and_leave_the_card_unchanged(
    build: Callable[[Card], Any], error: type[Exception], match: str
) -> None:
    card = Card().text("before")
    with pytest.raises(error, match=match):
        build(card)
    assert len(card.elements) == 1


def test_an_empty_card_cannot_be_sent() -> None:
    with pytest.raises(ValueError, match="at least one element"):
        Card().to_content()


def test_content_does_not_change_when_the_card_changes_afterwards() -> None:
    card = Card().input("company", value="a")
    content = card.to_content()
    card.text("later")
    element = content.info.elements[0]  # type: ignore[index]
    assert isinstance(element, CuiTextInput)
    element.value = "changed"
    assert len(content.info.elements) == 1  # type: ignore[arg-type]
    assert card.to_info().to_dict()["elements"][0]["value"] == "a"


def test_with_status_copies_the_card_for_an_update() -> None:
    card = Card(shared=False, fcids=["@a:example.org"]).text("x").input("k")
    disabled = card.with_status("disable")
    assert card.status == "input"
    assert disabled.to_info().to_dict() == {**card.to_info().to_dict(), "status": "disable"}


def test_a_copy_in_another_status_shares_no_element_with_the_original() -> None:
    card = Card().input("k", value="a")
    disabled = card.with_status("disable")
    element = disabled.elements[0]
    assert isinstance(element, CuiTextInput)
    element.value = "b"
    assert card.to_info().to_dict()["elements"][0]["value"] == "a"


def test_from_content_round_trips_a_card() -> None:
    card = (
        Card(status="loading", shared=False, fcids=["@a:example.org"])
        .text("x")
        .dropdown("k", ["a", "b"], value="a")
        .reply("q", "yes")
        .open_url("Docs", url="https://example.org/")
    )
    content = card.to_content()
    again = Card.from_content(CuiContent.from_dict(content.to_dict()))
    assert again.to_content().to_dict() == content.to_dict()


def test_from_content_of_the_documents_empty_info_gives_the_defaults() -> None:
    content = CuiContent.from_dict(
        {"body": "[交互卡片]", "info": {}, "msgtype": "m.cui", "version": "0.1.0"}
    )
    card = Card.from_content(content)
    assert (card.status, card.shared, card.fcids, card.elements) == ("input", True, (), ())


def test_add_accepts_a_generated_element_model() -> None:
    card = Card().add(CuiContextText(type_="context", subtype="text", value="x"))
    assert card.to_info().to_dict()["elements"] == [
        {"type": "context", "subtype": "text", "value": "x"}
    ]


def test_repr_names_the_elements() -> None:
    assert repr(Card().text("x").submit()) == (
        "Card(status='input', shared=True, elements=[context/text, button/submit])"
    )
