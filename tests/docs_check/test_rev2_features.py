"""What revision 2 brought: moved and re-methoded operations, other hosts, forms, value lists,
events told apart by more than their type, and the document's own issues with the spec's
decisions."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from finchat_wrapper._docs_check import Comparison, check, compare
from finchat_wrapper._docs_check._document import extract
from finchat_wrapper._docs_check._spec import extract as extract_spec

from .conftest import DOCUMENTS

REV2 = DOCUMENTS / "rev2.md"
SPECS = [DOCUMENTS / "spec-rev2.yaml", DOCUMENTS / "spec-iam.yaml"]


def _specs() -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in SPECS]


def _compare(document: str, specs: list[dict[str, Any]] | None = None) -> Comparison:
    return compare(extract(document), extract_spec(specs or _specs()))


def _rev2(old: str = "", new: str = "") -> str:
    text = REV2.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _items(comparison: Comparison) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(d.subject, d.kind, d.item, d.doc, d.spec) for d in comparison.differences]


def test_the_rev2_document_matches_its_specs_with_every_issue_decided() -> None:
    comparison = check(REV2, SPECS)
    assert comparison.clean
    assert comparison.differences == []
    assert [(f.issue.subject, f.issue.line) for f in comparison.findings] == [
        ("POST (callback URL)", 183),
        ("POST /api/rooms", 217),
        ("GET /api/departments/{department_id}", 227),
        ("POST /auth/token", 286),
    ]
    assert all(f.decision for f in comparison.findings)
    assert comparison.compared["operations"] == 6


def test_an_issue_the_spec_does_not_decide_counts_like_a_difference() -> None:
    specs = _specs()
    del specs[0]["paths"]["/api/rooms"]["post"]["responses"]["201"]["x-document-inconsistency"]
    comparison = _compare(_rev2(), specs)
    assert not comparison.clean
    assert comparison.differences == []
    ((issue, decision),) = [(f.issue, f.decision) for f in comparison.undecided]
    assert (issue.what, issue.line, decision) == (
        "the status line `201 OK` (line 217): 201 is 'Created', not 'OK'",
        217,
        None,
    )


def test_a_decision_about_another_name_does_not_decide_an_issue() -> None:
    specs = _specs()
    parameter = specs[0]["paths"]["/api/departments/{department_id}"]["get"]["parameters"][2]
    parameter["x-document-inconsistency"] = "About `app_id` only."
    comparison = _compare(_rev2(), specs)
    assert [f.issue.line for f in comparison.undecided] == [227]


def test_operations_on_another_host_are_told_from_the_finchat_hosts() -> None:
    facts = extract(_rev2())
    assert facts.operations[("POST", "/auth/token")].host == "IAM_HOST"
    assert facts.operations[("POST", "/api/rooms")].host is None  # {HOST} is the FinChat host
    specs = _specs()
    specs[1]["servers"] = copy.deepcopy(specs[0]["servers"])
    assert ("POST /auth/token", "changed", "host", "IAM_HOST", "the FinChat host") in _items(
        _compare(_rev2(), specs)
    )


def test_a_server_path_prefixes_the_paths_of_its_file() -> None:
    specs = _specs()
    specs[1]["servers"][0]["url"] = "https://{iam_host}/{context}"
    specs[1]["servers"][0]["variables"]["context"] = {"default": "auth"}
    specs[1]["paths"]["/token"] = specs[1]["paths"].pop("/auth/token")
    assert _compare(_rev2(), specs).differences == []


def test_a_form_body_and_basic_authorization_are_compared() -> None:
    operation = extract(_rev2()).operations[("POST", "/auth/token")]
    assert (operation.body, operation.auth) == ({"form"}, {"basic"})
    specs = _specs()
    token = specs[1]["paths"]["/auth/token"]["post"]
    token["requestBody"]["content"] = {
        "application/json": token["requestBody"]["content"]["application/x-www-form-urlencoded"]
    }
    token["security"] = [{"bearer": []}]
    specs[1]["components"]["securitySchemes"]["bearer"] = {"type": "http", "scheme": "bearer"}
    assert _items(_compare(_rev2(), specs)) == [
        ("POST /auth/token", "changed", "authorization", "basic", "bearer"),
        ("POST /auth/token", "changed", "request body", "form", "json"),
    ]


def test_each_description_of_a_route_is_a_form_compared_with_the_spec_form_most_like_it() -> None:
    operation = extract(_rev2()).operations[("POST", "/auth/token")]
    assert [sorted(name for _, name in form.request) for form in operation.forms] == [
        ["code", "grant_type"],
        ["grant_type", "refresh_token"],
    ]
    # Only grant_type is in every form: only it stays required in the merged request.
    assert {name: f.required for (_, name), f in operation.request.items()} == {
        "code": None,
        "grant_type": True,
        "refresh_token": None,
    }
    specs = _specs()
    grants = specs[1]["paths"]["/auth/token"]["post"]["requestBody"]["content"]
    refresh = grants["application/x-www-form-urlencoded"]["schema"]["oneOf"][1]
    refresh["properties"]["scope"] = {"type": "string"}
    refresh["required"].append("scope")
    assert _items(_compare(_rev2(), specs)) == [
        ("POST /auth/token form 2 (line 292)", "removed", "request body field `scope`", None, None)
    ]


def test_an_operation_at_another_path_with_its_fields_is_a_move_and_its_fields_still_count() -> (
    None
):
    specs = _specs()
    rooms = specs[0]["paths"].pop("/api/rooms")
    rooms["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"].pop("name")
    specs[0]["paths"]["/api/v2/rooms"] = rooms
    assert _items(_compare(_rev2(), specs)) == [
        ("", "moved", "operation POST /api/rooms", "/api/rooms", "/api/v2/rooms"),
        ("POST /api/rooms", "added", "request body field `name`", None, None),
    ]


def test_an_operation_with_another_method_on_its_path_is_a_method_change() -> None:
    specs = _specs()
    specs[0]["paths"]["/api/rooms"] = {"put": specs[0]["paths"]["/api/rooms"]["post"]}
    assert _items(_compare(_rev2(), specs)) == [
        ("", "method", "operation /api/rooms", "POST", "PUT")
    ]


def test_a_status_and_an_answer_shape_the_spec_gives_otherwise_are_changes() -> None:
    specs = _specs()
    token = specs[0]["paths"]["/api/auth/token"]["post"]
    token["responses"]["201"] = token["responses"].pop("200")
    departments = specs[0]["paths"]["/api/departments/{department_id}"]["get"]
    departments["responses"]["200"]["content"]["application/json"]["schema"] = {"type": "object"}
    assert _items(_compare(_rev2(), specs)) == [
        ("POST /api/auth/token", "changed", "success status", "200", "201"),
        ("GET /api/departments/{department_id}", "changed", "answer", "array", "object"),
    ]


def test_a_value_list_belongs_to_the_example_fields_whose_values_it_lists() -> None:
    (shown,) = [e for e in extract(_rev2()).shown_events if e.key == "finstore.app.status"]
    content = (shown.fields.children or {})["content"].children or {}
    assert content["from_status"].values == ("Publishing", "Published")
    assert content["from_status"].values_line == 123
    specs = _specs()
    specs[0]["components"]["schemas"]["AppStatus"]["enum"] = ["Publishing", "Withdrawn"]
    assert _items(_compare(_rev2(), specs)) == [
        (
            "finstore.app.status",
            "added",
            "value `Published` of field `content.from_status`",
            None,
            None,
        ),
        (
            "finstore.app.status",
            "removed",
            "value `Withdrawn` of field `content.from_status`",
            None,
            None,
        ),
        (
            "finstore.app.status",
            "added",
            "value `Published` of field `content.to_status`",
            None,
            None,
        ),
        (
            "finstore.app.status",
            "removed",
            "value `Withdrawn` of field `content.to_status`",
            None,
            None,
        ),
    ]


def test_values_the_spec_does_not_list_are_one_change_per_field() -> None:
    specs = _specs()
    content = specs[0]["components"]["schemas"]["AppStatusEvent"]["allOf"][1]["properties"]
    del content["content"]["properties"]["to_status"]["x-known-values"]
    assert _items(_compare(_rev2(), specs)) == [
        (
            "finstore.app.status",
            "changed",
            "values of field `content.to_status`",
            "2 listed",
            "no list",
        )
    ]


def test_a_value_list_no_example_field_takes_is_unread() -> None:
    text = _rev2("| Published  | 已上架     |", "| Archived   | 已归档     |")
    text = text.replace("| Publishing | 上架审核中 |", "| Draft      | 草稿       |")
    assert [(u.line, u.reason) for u in extract(text).unread] == [
        (123, "a value list that no field of the examples above it takes")
    ]


def test_an_event_is_the_first_schema_its_example_fits_not_just_its_type() -> None:
    specs = _specs()
    schemas = specs[0]["components"]["schemas"]
    # A second message schema, for messages with receivers, listed first: the example has none.
    schemas["BroadcastEvent"] = copy.deepcopy(schemas["MessageEvent"])
    schemas["BroadcastEvent"]["allOf"][1]["required"].append("receivers")
    schemas["BroadcastEvent"]["allOf"][1]["properties"]["receivers"] = {"type": "array"}
    event = specs[0]["webhooks"]["event"]["put"]["requestBody"]["content"]["application/json"]
    event["schema"]["properties"]["event"]["oneOf"].insert(
        0, {"$ref": "#/components/schemas/BroadcastEvent"}
    )
    comparison = _compare(_rev2(), specs)
    assert _items(comparison) == [
        ("", "removed", "event type m.room.message [BroadcastEvent]", None, None)
    ]


def test_an_example_that_fits_no_schema_exactly_is_compared_with_the_one_its_constants_name() -> (
    None
):
    text = _rev2('{"body": "hi", "msgtype": "m.text"}', '{"body": 1, "msgtype": "m.text"}')
    assert _items(_compare(text)) == [
        ("m.room.message", "type", "field `content.body`", "integer", "string")
    ]


def test_a_field_the_event_table_calls_optional_may_be_required_where_every_example_shows_it() -> (
    None
):
    specs = _specs()
    message = specs[0]["components"]["schemas"]["MessageEvent"]["allOf"][1]
    message["required"].append("room_id")
    assert _compare(_rev2(), specs).differences == []
    status = specs[0]["components"]["schemas"]["AppStatusEvent"]["allOf"][1]
    status["required"].append("room_id")  # its example has no room_id
    assert _items(_compare(_rev2(), specs)) == [
        ("finstore.app.status", "required", "field `room_id`", "optional", "required")
    ]


def test_what_the_spec_marks_not_in_the_document_is_not_compared() -> None:
    specs = _specs()
    del specs[1]["paths"]["/.well-known/openid-configuration"]["get"]["x-not-in-document"]
    del specs[0]["components"]["schemas"]["OtherEvent"]["x-open-variant"]
    assert _items(_compare(_rev2(), specs)) == [
        ("", "removed", "operation GET /.well-known/openid-configuration", None, None)
    ]


@pytest.mark.parametrize(
    ("old", "new", "issue"),
    [
        (
            '"access_token": "eyJ",',
            '"access_token": 1,',
            "`access_token` is integer in the example (line 285), string in the table (line 279)",
        ),
        (
            "POST /auth/token HTTP/1.1",
            "POST /auth/tokens HTTP/1.1",
            "the request example (line 270) is `POST /auth/tokens`, the operation"
            " `POST /auth/token`",
        ),
        (
            "grant_type=authorization_code&code=abc",
            "grant_type=authorization_code",
            "the example (line 270) lacks `code`, which the table (line 265) marks required",
        ),
        (
            '"event_id": "$1:example.org",',
            '"event_id": 1,',
            "`event.event_id` is integer in the example (line 99), string in the table (line 86)",
        ),
    ],
)
def test_what_the_document_says_two_ways_is_an_issue_with_its_line(
    old: str, new: str, issue: str
) -> None:
    assert issue in [i.what for i in extract(_rev2(old, new)).issues]
