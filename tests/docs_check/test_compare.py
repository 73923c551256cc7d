"""Each difference between a small document and a small spec is reported exactly once."""

from __future__ import annotations

import pytest
import yaml

from finchat_wrapper._docs_check import Difference, _document, _spec, check, compare

from .conftest import DOCUMENTS, MINI_SPEC


def _found(name: str) -> list[tuple[str, str, str, str]]:
    comparison = check(DOCUMENTS / name, [MINI_SPEC])
    return sorted((d.section, d.subject, d.kind, d.item) for d in comparison.differences)


def _against_mini_spec(document: str) -> list[Difference]:
    spec = _spec.extract([yaml.safe_load(MINI_SPEC.read_text(encoding="utf-8"))])
    return compare(_document.extract(document), spec).differences


@pytest.mark.parametrize("name", ["baseline.md", "irregular.md"])
def test_documents_saying_what_the_spec_says_give_no_difference(name: str) -> None:
    assert _found(name) == []


def test_additions_in_the_document_are_each_reported_once() -> None:
    assert _found("added.md") == sorted(
        [
            ("operations", "", "added", "operation POST /api/media/upload"),
            ("operations", "POST /api/message/send", "added", "request body field `fcids`"),
            ("operations", "POST /api/auth/token", "added", "response field `token_type`"),
            ("errcodes", "", "added", "errcode FC_NEW_CODE"),
            ("events", "", "added", "event type finstore.app.application"),
        ]
    )


def test_removals_from_the_document_are_each_reported_once() -> None:
    assert _found("removed.md") == sorted(
        [
            ("operations", "", "removed", "operation GET /api/users/{fcid}"),
            ("operations", "POST /api/auth/token", "removed", "request body field `secret`"),
            (
                "operations",
                "POST /api/message/send",
                "removed",
                "response field `room_id_result[].event_id`",
            ),
            ("errcodes", "", "removed", "errcode FC_UNKNOWN"),
            ("events", "", "removed", "event type finstore.room.create"),
        ]
    )


def test_a_changed_type_and_required_flag_are_reported_with_both_values() -> None:
    differences = check(DOCUMENTS / "changed.md", [MINI_SPEC]).differences
    assert sorted(differences) == sorted(
        [
            Difference(
                "operations",
                "POST /api/auth/token",
                "type",
                "response field `expires_in`",
                doc="string",
                spec="integer",
            ),
            Difference(
                "operations",
                "POST /api/message/send",
                "required",
                "request body field `room_ids`",
                doc="required",
                spec="optional",
            ),
        ]
    )
    assert all(d.line is not None for d in differences)


def _baseline_with(old: str, new: str) -> str:
    text = (DOCUMENTS / "baseline.md").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_a_field_an_example_adds_to_an_event_is_reported() -> None:
    document = _baseline_with('"creator": "@bot:example.org"', '"creator": "@b:e", "extra": 1')
    assert [(d.subject, d.kind, d.item) for d in _against_mini_spec(document)] == [
        ("finstore.room.create", "added", "field `content.extra`")
    ]


def test_an_example_may_omit_an_optional_field_but_not_a_required_one() -> None:
    # `info` is optional in the spec's file content, `o_url` required.
    document = _baseline_with(', "info": {"size": 3}', "")
    assert _against_mini_spec(document) == []
    document = _baseline_with(', "o_url": "mxc://e/x"', "")
    assert [(d.subject, d.kind, d.item) for d in _against_mini_spec(document)] == [
        ("POST /api/message/send m.file", "removed", "content field `o_url`")
    ]


def test_a_message_type_missing_from_the_examples_is_reported() -> None:
    document = _baseline_with('"msgtype": "m.file"', '"msgtype": "m.video"')
    assert sorted((d.kind, d.item) for d in _against_mini_spec(document)) == [
        ("added", "message type m.video"),
        ("removed", "message type m.file"),
    ]


def test_an_example_value_of_another_type_is_a_type_difference() -> None:
    document = _baseline_with('"info": {"size": 3}', '"info": {"size": "3"}')
    assert [(d.kind, d.item, d.doc, d.spec) for d in _against_mini_spec(document)] == [
        ("type", "content field `info.size`", "string", "integer")
    ]


def test_a_changed_event_table_row_is_one_difference_of_every_event() -> None:
    document = _baseline_with(
        "| room_id | string | 否 | 房间id |", "| room_id | string | 是 | 房间id |"
    )
    assert [(d.subject, d.kind, d.item) for d in _against_mini_spec(document)] == [
        ("every event", "required", "field `room_id`")
    ]


def test_a_difference_only_some_event_types_have_stays_with_them() -> None:
    loaded = yaml.safe_load(MINI_SPEC.read_text(encoding="utf-8"))
    loaded["components"]["schemas"]["RoomCreateEvent"]["allOf"][1]["required"].append("room_id")
    baseline = (DOCUMENTS / "baseline.md").read_text(encoding="utf-8")
    differences = compare(_document.extract(baseline), _spec.extract([loaded])).differences
    assert [(d.subject, d.kind, d.item) for d in differences] == [
        ("finstore.room.create", "required", "field `room_id`")
    ]


def test_a_path_parameter_renamed_in_the_document_is_reported_as_parameters() -> None:
    document = _baseline_with("/api/users/:fcid?app_id=${app_id}", "/api/users/:user_id?app_id=1")
    document = document.replace(
        "| fcid | string | 是 | 用户id | - |", "| user_id | string | 是 | 用户id | - |"
    )
    assert sorted((d.kind, d.item) for d in _against_mini_spec(document)) == [
        ("added", "path parameter `user_id`"),
        ("removed", "path parameter `fcid`"),
    ]


def test_a_parameter_of_the_address_missing_from_the_table_still_counts() -> None:
    document = _baseline_with("| app_id | string | 是 | 应用id | - |\n| fcid |", "| fcid |")
    assert _against_mini_spec(document) == []


def test_a_changed_error_envelope_field_is_reported() -> None:
    document = _baseline_with("| error | string | 错误描述 |", "| error | int | 错误描述 |")
    assert [(d.section, d.kind, d.item) for d in _against_mini_spec(document)] == [
        ("error envelope", "type", "field `error`")
    ]


def test_compared_counts_what_both_sides_have() -> None:
    comparison = check(DOCUMENTS / "removed.md", [MINI_SPEC])
    assert comparison.compared == {
        "operations": 3,
        "error envelope": 1,
        "errcodes": 1,
        "message types": 2,
        "events": 1,
    }


def test_a_response_table_missing_from_the_document_leaves_the_spec_fields_unmatched() -> None:
    document = _baseline_with(
        "**响应参数说明：**\n\n| 参数 | 类型 | 说明 |\n| ---------- | ---------- | ---------- |\n"
        "| to_fcid | string | 好友id |\n| is_bot | bool | 好友是否机器人 |\n",
        "**响应参数说明：**\n返回好友列表\n",
    )
    assert sorted((d.subject, d.kind, d.item) for d in _against_mini_spec(document)) == [
        ("GET /api/users/{fcid}", "removed", "response field `is_bot`"),
        ("GET /api/users/{fcid}", "removed", "response field `to_fcid`"),
    ]


def test_an_error_envelope_table_missing_from_the_document_is_one_difference() -> None:
    document = _baseline_with("| errcode | string | 错误码 |\n| error | string | 错误描述 |\n", "")
    document = document.replace(
        "| 参数 | 类型 | 说明 |\n| ---------- | ---------- | ---------- |\n\n", "", 1
    )
    assert [(d.section, d.kind, d.item) for d in _against_mini_spec(document)] == [
        ("error envelope", "removed", "error envelope table")
    ]
