"""What is read from a document in the upstream format, and what makes it unreadable."""

from __future__ import annotations

import pytest

from finchat_wrapper._docs_check._document import extract
from finchat_wrapper._docs_check._model import WEBHOOK_PATH, DocumentedOperation, DocumentError

_PARAMS = "| 参数 | 类型 | 是否必须 | 说明 | 默认值 |\n| --- | --- | --- | --- | --- |\n"
_FIELDS = "| 参数 | 类型 | 说明 |\n| --- | --- | --- |\n"


def _op(method: str, address: str, request: str = "", response: str = "", extra: str = "") -> str:
    text = f"### 接口\n\n**请求方式：{method}**\n\n**请求地址：{address}**\n\n"
    if request:
        text += f"**请求参数说明：**\n\n{_PARAMS}{request}\n"
    if response:
        text += f"**响应参数说明：**\n\n{_FIELDS}{response}\n"
    return text + extra


def _only(text: str) -> DocumentedOperation:
    (operation,) = extract(text).operations.values()
    return operation


@pytest.mark.parametrize(
    "address",
    [
        "/api/users/:fcid?app_id=${app_id}",
        "/api/users/{fcid}?app_id={app_id}",
        "/api/users/${fcid}?app_id=xxx",
        "`https://finchat.example.org/api/users/:fcid?app_id=1`",
    ],
)
def test_path_parameter_styles_and_query_strings_give_one_route(address: str) -> None:
    operation = _only(_op("GET", address))
    assert operation.key == ("GET", "/api/users/{}")
    assert operation.path == "/api/users/{fcid}"
    assert set(operation.request) == {("path", "fcid"), ("query", "app_id")}


def test_rows_named_in_the_address_are_parameters_and_the_others_body_fields() -> None:
    rows = "| app_id | string | 是 | - | - |\n| name | string | 否 | - | - |\n"
    post = _only(_op("POST", "/api/upload?app_id=x", rows))
    assert set(post.request) == {("query", "app_id"), ("body", "name")}
    get = _only(_op("GET", "/api/items", rows))
    assert set(get.request) == {("query", "app_id"), ("query", "name")}


def test_doc_types_map_to_json_schema_types() -> None:
    rows = "".join(
        f"| f{i} | {t} | 是 | - | - |\n"
        for i, t in enumerate(["string", "int64", "bool", "[string]", "Object", "int", "double"])
    )
    fields = _only(_op("POST", "/api/x", rows)).request
    assert [fields[("body", f"f{i}")].type for i in range(7)] == [
        "string",
        "integer",
        "boolean",
        "array<string>",
        "object",
        "integer",
        "number",
    ]


def test_a_named_table_gives_the_fields_of_the_rows_that_refer_to_it() -> None:
    response = "| results | [result] | - |\n| event | Object | - |\n"
    tables = (
        f"**result**\n\n{_FIELDS}| room_id | string | - |\n\n"
        f"**event**\n\n{_PARAMS}| type | string | 是 | - | - |\n"
    )
    fields = _only(_op("POST", "/api/x", response=response, extra=tables)).response
    assert fields is not None
    assert fields["results"].type == "array<object>"
    assert list(fields["results"].children or {}) == ["room_id"]
    assert (fields["event"].children or {})["type"].required is True


def test_response_tables_have_no_required_flag_and_an_operation_without_one_no_fields() -> None:
    fields = _only(_op("GET", "/api/x", response="| a | string | - |\n")).response
    assert fields is not None
    assert fields["a"].required is None
    assert _only(_op("GET", "/api/x")).response is None


def test_an_operation_runs_to_the_next_heading_of_its_level_at_any_depth() -> None:
    text = (
        "# 一\n\n**请求方式：GET**\n\n**请求地址：/api/a**\n\n## 细节\n\n**响应参数说明：**\n\n"
        f"{_FIELDS}| a | string | - |\n\n"
        "###### 二\n\n**请求方式：POST**\n\n**请求地址：/api/b**\n"
    )
    operations = extract(text).operations
    assert (operations[("GET", "/api/a")].response or {}).keys() == {"a"}
    assert ("POST", "/api/b") in operations


def test_headings_inside_an_operation_label_its_tables_like_bold_lines() -> None:
    text = (
        "## 接口\n\n**请求方式：POST**\n\n**请求地址：/api/x**\n\n### 请求参数\n\n"
        f"{_PARAMS}| a | string | 是 | - | - |\n\n### 响应参数\n\n{_FIELDS}| r | [item] | - |\n\n"
        f"#### item\n\n{_FIELDS}| b | bool | - |\n"
    )
    operation = _only(text)
    assert set(operation.request) == {("body", "a")}
    assert list((operation.response or {})["r"].children or {}) == ["b"]


def test_an_address_that_is_not_a_path_is_the_callback_and_its_examples_are_events() -> None:
    request = "| token | string | - | - | - |\n| event | Object | - | - | - |\n"
    example = (
        '**示例**\n\n```\n{"token": "t", "event": {"type": "x.y", "content": {"msgtype": "m.a"},'
        ' "event_id": "$e"}}\n```\n'
    )
    facts = extract(_op("PUT", "开发者填写的地址", request, extra=example))
    assert ("PUT", WEBHOOK_PATH) in facts.operations
    (shown,) = facts.shown_events
    assert (shown.key, shown.source) == ("x.y (m.a)", f"PUT {WEBHOOK_PATH}")
    assert shown.value["event_id"] == "$e"
    assert set(shown.fields.children or {}) == {"type", "content", "event_id"}
    assert not shown.fields.exhaustive  # no event table: the example shows some fields only


def test_message_types_come_from_the_request_examples_only() -> None:
    examples = (
        '**请求示例：**\n\n```\n{"content": {"msgtype": "m.text", "body": "x"}}\n```\n\n'
        '**响应示例：**\n\n```\n{"content": {"msgtype": "m.other"}}\n```\n'
    )
    operation = _only(_op("POST", "/api/send", extra=examples))
    assert list(operation.message_types) == ["m.text"]


def test_errcodes_and_the_error_envelope_are_read_outside_operations() -> None:
    text = (
        f"## 错误约定\n\n{_FIELDS}| errcode | string | - |\n\n"
        "| errcode | error |\n| --- | --- |\n| FC_A | a |\n| FC_B | b |\n\n" + _op("GET", "/api/x")
    )
    facts = extract(text)
    assert list(facts.errcodes) == ["FC_A", "FC_B"]
    assert list(facts.error_envelope or {}) == ["errcode"]


def test_a_file_without_any_operation_is_not_a_document() -> None:
    with pytest.raises(DocumentError, match="no operation found"):
        extract("# 没有接口\n\n正文\n")


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (_op("GET", "/api/x") + "```\n{\n", 7, "code block is never closed"),
        (_op("POST", "/api/x", "| a | string | 也许 | - | - |\n"), 11, "required flag '也许'"),
        (_op("POST", "/api/x", "| a | string or int | 是 | - | - |\n"), 11, "cannot read the type"),
        ("### 接口\n\n**请求方式：GET**\n", 3, "request method without a 请求地址"),
        (_op("FETCH", "/api/x"), 3, "unknown request method 'FETCH'"),
        (_op("GET", "/api/x", extra="**请求地址：/api/y**\n"), 7, "a second 请求地址"),
        (
            _op("GET", "/api/x", extra="**请求方式：POST**\n"),
            7,
            "request method without a 请求地址",
        ),
        (_op("GET", "/api/x:y"), 5, "cannot read the path segment 'x:y'"),
        (
            _op("POST", "/api/x", extra='**请求示例：**\n\n```\n{"a": 1 +}\n```\n'),
            10,
            "example is not JSON",
        ),
        (
            _op("POST", "/api/x", extra="**请求示例：**\n\n```\nnot an example\n```\n"),
            10,
            "neither JSON, a form body, an HTTP message nor a URL",
        ),
        (
            _op("GET", "/api/x", extra=f"**orphan**\n\n{_FIELDS}| a | string | - |\n"),
            9,
            "no field refers to the table 'orphan'",
        ),
        (
            _op("GET", "/api/x", extra=f"**说明**\n\n{_FIELDS}| a | string | - |\n"),
            9,
            "cannot tell what the table describes",
        ),
        (
            _op("PUT", "开发者填写的地址", extra='**示例**\n\n```\n{"token": "t"}\n```\n'),
            10,
            "a callback example without an event",
        ),
        (
            _op("GET", "/api/x") + f"## 附录\n\n{_FIELDS}| a | string | - |\n",
            9,
            "a field table outside any operation",
        ),
    ],
)
def test_a_part_that_cannot_be_read_is_one_unread_item_and_the_rest_is_read(
    text: str, line: int, reason: str
) -> None:
    second = "### 另一个\n\n**请求方式：GET**\n\n**请求地址：/api/other**\n"
    facts = extract(text + "\n" + second)
    assert [(u.line, reason in u.reason) for u in facts.unread] == [(line, True)]
    assert ("GET", "/api/other") in facts.operations
