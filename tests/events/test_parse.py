from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from finchat_openapi.models import (
    AllRoomsMessageEvent,
    AppApplicationEvent,
    AppStatusEvent,
    AppVisibilityEvent,
    CuiSubmitEvent,
    MentionEvent,
    MessageEvent,
    RoomCreateEvent,
    SearchEvent,
    SensitiveWordEvent,
    WebhookEvent,
)
from finchat_openapi.types import UNSET
from hypothesis import given
from hypothesis import strategies as st

from finchat_wrapper.events import (
    AppStatusChange,
    Callback,
    InvalidEventError,
    UnknownEvent,
    app_status_change,
    parse_callback,
    parse_event,
    parse_page,
    parse_search,
)

from .conftest import CALLBACK_EXAMPLES, PULL_EXAMPLE, TOKEN, callback, search

EXPECTED_CLASS = {
    "directText": MessageEvent,
    "groupMention": MentionEvent,
    "allRoomsMessage": AllRoomsMessageEvent,
    "roomCreated": RoomCreateEvent,
    "cuiSubmitted": CuiSubmitEvent,
    "webhook": WebhookEvent,
    "appApplication": AppApplicationEvent,
    "appStatus": AppStatusEvent,
    "appVisibility": AppVisibilityEvent,
    "sensitiveWord": SensitiveWordEvent,
}


def test_every_spec_example_is_covered() -> None:
    assert set(EXPECTED_CLASS) == set(CALLBACK_EXAMPLES)


@pytest.mark.parametrize(("name", "cls"), EXPECTED_CLASS.items())
def test_each_revision_2_example_parses_into_its_typed_class_with_its_app_id(
    name: str, cls: type
) -> None:
    result = parse_callback(callback(name))
    assert type(result.event) is cls
    assert result.app_id == "5cf29aec6ccfd004ccd28075"


@pytest.mark.parametrize(("name", "cls"), EXPECTED_CLASS.items())
@pytest.mark.parametrize("form", ["bytes", "str", "mapping"])
def test_each_documented_kind_parses_to_its_model_from_bytes_str_or_mapping(
    name: str, cls: type, form: str
) -> None:
    body: Any = callback(name)
    if form != "mapping":
        body = json.dumps(body, ensure_ascii=False)
        if form == "bytes":
            body = body.encode()
    event = parse_event(body)
    assert type(event) is cls
    assert event.event_id == "$143273582443PhrSn:example.org"
    assert event.to_dict() == callback(name)["event"]


def test_a_bare_event_object_parses_like_the_callback_around_it() -> None:
    body = callback("directText")
    assert parse_event(body["event"]) == parse_event(body)


def test_text_and_mention_are_told_apart_by_msgtype() -> None:
    text = parse_event(callback("directText"))
    mention = parse_event(callback("groupMention"))
    assert isinstance(text, MessageEvent)
    assert text.content.body == "This is an example text message"
    assert isinstance(mention, MentionEvent)
    assert mention.content.body == "@FinChat小助手 test"


def test_cui_submit_exposes_origin_event_and_inputs() -> None:
    event = parse_event(callback("cuiSubmitted"))
    assert isinstance(event, CuiSubmitEvent)
    assert event.origin_event == "$153243582843Pxrdn:example.org"
    assert event.content.action == "submit"
    assert event.content.info.to_dict() == {"key1": "value1", "key2": "value2", "key3": "value3"}


def test_app_application_lists_applicants() -> None:
    event = parse_event(callback("appApplication"))
    assert isinstance(event, AppApplicationEvent)
    [application] = event.content.info
    assert (application.app_id, application.fcid) == (
        "461cf042d9eedaa60d445f26dc747d5e",
        "@test001:example.com",
    )


def test_unknown_event_type_gives_unknown_event_with_raw_data() -> None:
    body = callback("directText", type="finstore.room.leave", content={"reason": "bye"})
    event = parse_event(body)
    assert event == UnknownEvent(
        type="finstore.room.leave", raw=body["event"], event_id=body["event"]["event_id"]
    )
    assert event.raw["content"] == {"reason": "bye"}


@pytest.mark.parametrize("msgtype", ["m.image", "m.file", "m.video", "x.shiny.new"])
def test_a_message_of_any_msgtype_from_a_user_is_a_typed_message_event(msgtype: str) -> None:
    body = callback("directText", content={"msgtype": msgtype, "body": "x.png", "url": "mxc://s/a"})
    event = parse_event(body)
    assert isinstance(event, MessageEvent)
    assert event.room_id == "!jEsUZKDJdhlrceRyVU:example.org"
    assert (event.content.msgtype, event.content["url"]) == (msgtype, "mxc://s/a")


def test_receivers_make_a_message_of_any_msgtype_an_all_rooms_message() -> None:
    for content in ({"msgtype": "m.alert", "body": "@x hi"}, {"msgtype": "m.image", "body": "a"}):
        event = parse_event(callback("allRoomsMessage", content=content))
        assert isinstance(event, AllRoomsMessageEvent)
        assert event.receivers == ["@aa:example.org", "@bb:example.com"]
    assert type(parse_event(callback("allRoomsMessage", receivers=None))) is MessageEvent


def test_a_message_without_a_msgtype_is_invalid_not_unknown() -> None:
    with pytest.raises(InvalidEventError, match="required field 'msgtype' is missing"):
        parse_event(callback("directText", content={"body": "no msgtype"}))


def test_the_app_status_and_operation_read_as_the_specs_typed_values() -> None:
    event = parse_event(callback("appStatus"))
    assert isinstance(event, AppStatusEvent)
    assert app_status_change(event) == AppStatusChange(
        app_id="461cf042d9eedaa60d445f26dc747d5e",
        from_status="Publishing",
        to_status="PublishApproved",
        operation="ApprovePublishRequest",
    )
    content = {**callback("appStatus")["event"]["content"], "to_status": "Archived"}
    later = parse_event(callback("appStatus", content=content))
    assert isinstance(later, AppStatusEvent)
    assert app_status_change(later).to_status is None  # a status added later: no error
    assert later.content.to_status == "Archived"


def test_the_new_kinds_expose_their_fields_typed() -> None:
    webhook = parse_event(callback("webhook"))
    assert isinstance(webhook, WebhookEvent)
    assert webhook.webhook_id == "461cf042d9eedaa60d445f26dc747d5e"
    visibility = parse_event(callback("appVisibility"))
    assert isinstance(visibility, AppVisibilityEvent)
    assert visibility.content.added_fcids == ["@alice:example.com"]
    sensitive = parse_event(callback("sensitiveWord"))
    assert isinstance(sensitive, SensitiveWordEvent)
    assert (sensitive.content.sensitive_word, sensitive.content.timestamp) == ("xxx", 52834096829)


def test_unknown_event_needs_no_other_field() -> None:
    event = parse_event({"type": "x.new"})
    assert event == UnknownEvent(type="x.new", raw={"type": "x.new"})


def test_missing_optional_fields_are_tolerated() -> None:
    body = callback("directText", room_type=None)
    event = parse_event(body)
    assert isinstance(event, MessageEvent)
    assert event.room_type is UNSET
    assert event.fcid is UNSET


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("directText", "room_id"),
        ("groupMention", "room_id"),
        ("allRoomsMessage", "room_id"),
        ("roomCreated", "room_id"),
        ("roomCreated", "fcid"),
        ("cuiSubmitted", "room_id"),
        ("cuiSubmitted", "origin_event"),
        ("webhook", "webhook_id"),
    ],
)
def test_an_event_without_a_field_its_kind_requires_is_invalid(name: str, field: str) -> None:
    with pytest.raises(InvalidEventError, match=f"'{field}' is missing"):
        parse_event(callback(name, **{field: None}))


def test_null_optional_fields_count_as_absent() -> None:
    body = callback("directText")
    body["event"]["fcid"] = None
    event = parse_event(body)
    assert isinstance(event, MessageEvent)
    assert event.fcid is UNSET


def test_unknown_fields_are_kept() -> None:
    body = callback("directText")
    body["event"]["shiny"] = 1
    event = parse_event(body)
    assert isinstance(event, MessageEvent)
    assert event.additional_properties == {"shiny": 1}


@pytest.mark.parametrize(
    ("name", "changes", "message"),
    [
        ("directText", {"event_id": None}, "required field 'event_id' is missing"),
        ("directText", {"timestamp": "yesterday"}, "'timestamp' must be an integer"),
        ("directText", {"timestamp": True}, "'timestamp' must be an integer"),
        ("directText", {"sender": None}, "required field 'sender' is missing"),
        ("directText", {"room_id": 7}, "'room_id' must be a string"),
        ("directText", {"content": {"msgtype": "m.text"}}, "content: required field 'body'"),
        ("roomCreated", {"content": None}, "required field 'content' is missing"),
        ("roomCreated", {"content": "x"}, "field 'content' must be an object"),
        ("allRoomsMessage", {"receivers": "@a:x"}, "'receivers' must be a list of strings"),
        ("allRoomsMessage", {"receivers": [1]}, r"'receivers\[0\]' must be a string"),
        ("directText", {"app_id": 5}, "'app_id' must be a string"),
        ("appStatus", {"content": {"app_id": "a"}}, "content: required field 'from_status'"),
        (
            "appVisibility",
            {"content": {"app_id": "a", "added_fcids": "x"}},
            "'added_fcids' must be a list of strings",
        ),
        (
            "sensitiveWord",
            {
                "content": {
                    "sender_id": "a",
                    "room_id": "!r:x",
                    "sensitive_word": "w",
                    "timestamp": "t",
                }
            },
            "'timestamp' must be an integer",
        ),
        ("cuiSubmitted", {"origin_event": None}, "required field 'origin_event' is missing"),
        (
            "cuiSubmitted",
            {"content": {"action": "submit", "info": []}},
            "'info' must be an object",
        ),
        (
            "appApplication",
            {"content": {"info": [{"app_id": "a"}]}},
            r"content info\[0\]: required field 'fcid' is missing",
        ),
        ("appApplication", {"content": {"info": {}}}, "'info' must be a list of objects"),
    ],
)
def test_a_known_event_missing_or_mistyping_a_required_field_names_the_field(
    name: str, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidEventError, match=message):
        parse_event(callback(name, **changes))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        ('{"token": "t", "event": NaN}', "NaN is not a JSON number"),
        ("[1, 2]", "must be a JSON object, not list"),
        ('"text"', "must be a JSON object, not str"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ('{"token": "t", "event": 1}', "'event' is missing or not an object"),
        ('{"token": "t", "event": {"type": 5}}', "'type' is missing or not a string"),
        ("{}", "'type' is missing"),
    ],
)
def test_a_body_that_is_not_a_json_callback_raises_a_value_error(body: Any, message: str) -> None:
    with pytest.raises(InvalidEventError, match=message) as info:
        parse_event(body)
    assert isinstance(info.value, ValueError)


def test_a_body_of_another_python_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not int"):
        parse_event(5)  # type: ignore[arg-type]


def test_parse_callback_returns_token_and_event_and_hides_the_token_from_repr() -> None:
    result = parse_callback(json.dumps(callback("directText")))
    assert isinstance(result, Callback)
    assert result.token == TOKEN
    assert isinstance(result.event, MessageEvent)
    assert TOKEN not in repr(result)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"event": {"type": "x"}}, "'token' is missing"),
        ({"token": 3, "event": {"type": "x"}}, "'token' is missing or not a string"),
        ({"token": "t"}, "'event' is missing"),
    ],
)
def test_parse_callback_refuses_a_body_that_is_not_an_envelope(
    body: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidEventError, match=message):
        parse_callback(body)


def test_errors_never_quote_the_token() -> None:
    body = callback("directText", event_id=None)
    with pytest.raises(InvalidEventError) as info:
        parse_callback(body)
    assert TOKEN not in str(info.value)


def test_parsing_does_not_modify_the_mapping_given() -> None:
    body = callback("directText")
    body["event"]["fcid"] = None
    before = json.dumps(body, sort_keys=True)
    parse_event(body)
    assert json.dumps(body, sort_keys=True) == before


def test_parse_errors_are_finchat_errors_and_value_errors() -> None:
    from finchat_wrapper._errors import FinChatError

    assert issubclass(InvalidEventError, FinChatError)
    assert issubclass(InvalidEventError, ValueError)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
KNOWN_TYPES = [
    "m.room.message",
    "finstore.room.create",
    "finstore.room.interactcui",
    "finstore.app.webhook",
    "finstore.app.application",
    "finstore.app.status",
    "finstore.app.visibility",
    "observe.message.sensitivity",
    "finstore.shortcut.search",
    "x.new",
]
# Events near the documented shapes, so that the field checks (not only the type switch) are hit.
near_events = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(KNOWN_TYPES) | json_values,
        "event_id": st.text() | json_values,
        "timestamp": st.integers() | json_values,
        "sender": st.text() | json_values,
        "room_id": st.text() | json_values,
        "origin_event": st.text() | json_values,
        "receivers": st.lists(st.text(), max_size=3) | json_values,
        "webhook_id": st.text() | json_values,
        "fcid": st.text() | json_values,
        "app_id": st.text() | json_values,
        "unsigned": json_values,
        "content": st.fixed_dictionaries(
            {},
            optional={
                "msgtype": st.sampled_from(["m.text", "m.alert", "m.image"]) | json_values,
                "body": st.text() | json_values,
                "creator": st.text() | json_values,
                "action": st.text() | json_values,
                "info": json_values,
                "app_id": st.text() | json_values,
                "from_status": st.text() | json_values,
                "to_status": st.text() | json_values,
                "operation": st.text() | json_values,
                "added_fcids": st.lists(st.text(), max_size=2) | json_values,
                "sender_id": st.text() | json_values,
                "sensitive_word": st.text() | json_values,
                "timestamp": st.integers() | json_values,
                "search_text": st.text() | json_values,
                "page_no": st.integers() | json_values,
                "page_size": st.integers() | json_values,
            },
        )
        | json_values,
    },
)


@given(body=st.binary() | st.text() | json_values.map(json.dumps))
def test_any_bytes_or_text_parse_or_raise_invalid_event_error_only(body: bytes | str) -> None:
    with contextlib.suppress(InvalidEventError):
        parse_event(body)


@given(event=near_events, token=st.text() | json_values)
def test_any_near_event_parses_to_a_typed_event_or_raises_invalid_event_error(
    event: dict[str, Any], token: Any
) -> None:
    try:
        result = parse_callback({"token": token, "event": event})
    except InvalidEventError:
        return
    assert isinstance(result.event.event_id, str) or isinstance(result.event, UnknownEvent)


@given(event=near_events, token=st.text() | json_values)
def test_any_near_search_parses_to_a_search_event_or_raises_invalid_event_error(
    event: dict[str, Any], token: Any
) -> None:
    try:
        result = parse_search({"token": token, "event": event})
    except InvalidEventError:
        return
    assert isinstance(result.event, SearchEvent)
    assert isinstance(result.event.content.page_no, int)


def test_the_search_example_parses_into_a_search_event_with_text_page_and_size() -> None:
    result = parse_search(json.dumps(search()))
    assert result.token == TOKEN
    assert result.app_id == "5cf29aec6ccfd004ccd28075"
    content = result.event.content
    assert (content.search_text, content.page_no, content.page_size) == ("my text", 0, 10)
    assert TOKEN not in repr(result)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"page_no": None}, "required field 'page_no' is missing"),
        ({"page_size": "10"}, "'page_size' must be an integer"),
        ({"search_text": 3}, "'search_text' must be a string"),
    ],
)
def test_a_search_missing_or_mistyping_a_field_names_it(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidEventError, match=message):
        parse_search(search(**changes))


def test_a_push_event_is_not_a_search() -> None:
    with pytest.raises(InvalidEventError, match=r"must be 'finstore\.shortcut\.search'"):
        parse_search(callback("directText"))


def test_the_pull_example_parses_into_a_page_of_typed_events_with_the_cursor() -> None:
    page = parse_page(json.dumps(PULL_EXAMPLE))
    assert page.since == "$123:example.org"
    [event] = page.events
    assert isinstance(event, CuiSubmitEvent)
    assert event.app_id == "5cf29aec6ccfd004ccd28075"
    assert page.rejected == ()
    assert len(page) == 1


def test_a_pulled_event_that_fails_its_checks_is_rejected_and_the_others_kept() -> None:
    good = callback("directText")["event"]
    bad = callback("cuiSubmitted", origin_event=None)["event"]
    page = parse_page({"since": "s", "events": [good, bad, "junk", {"type": "x.new"}]})
    assert [type(e).__name__ for e in page.events] == ["MessageEvent", "UnknownEvent"]
    assert [r.error for r in page.rejected] == [
        "finstore.room.interactcui event: required field 'origin_event' is missing",
        "events[2] is not an object",
    ]
    assert page.rejected[0].event_id == bad["event_id"]
    assert len(page) == 4


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"events": []}, "'since' is missing"),
        ({"since": "s", "events": {}}, "'events' is missing or not a list"),
        ([], "must be a JSON object"),
    ],
)
def test_a_pulled_answer_that_is_not_pulled_events_raises(body: Any, message: str) -> None:
    with pytest.raises(InvalidEventError, match=message):
        parse_page(json.dumps(body))


@given(event=near_events)
def test_what_the_parser_builds_is_what_the_generated_from_dict_reads_back(
    event: dict[str, Any],
) -> None:
    try:
        parsed = parse_event(event)
    except InvalidEventError:
        return
    if not isinstance(parsed, UnknownEvent):
        assert type(parsed).from_dict(parsed.to_dict()) == parsed
