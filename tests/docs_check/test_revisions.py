"""The upstream document's two revisions against the project's spec files (the revision-2 spec).

Revision 2 matches: every issue of its own is decided by the spec. Revision 1 differs from it by
exactly what revision 2 changed, as listed here with revision 1's lines. Skipped where the
documents are not beside the checkout (`../shared/docs`).
"""

from __future__ import annotations

import pytest

from finchat_wrapper._docs_check import check

from .conftest import REVISION_1, REVISION_2

pytestmark = pytest.mark.skipif(
    not REVISION_2.is_file(), reason="the upstream documents are not beside the checkout"
)

_OPEN = "/api/v1/finchat/open-api"
_IAM = "/auth/realms/master/protocol/openid-connect"

# What revision 2 changed, as the check of revision 1 against the revision-2 spec reports it.
REVISION_2_CHANGES = [
    ("operations", "", "moved", f"operation POST {_OPEN}/message/send-as-user", 441),
    ("operations", "", "removed", f"operation POST {_OPEN}/message/webhook/send", None),
    (
        "operations",
        "",
        "removed",
        "operation GET /api/v1/finchat/privilege-api/forwarder/{app_id}/events",
        None,
    ),
    ("operations", "", "removed", f"operation GET {_OPEN}/rooms", None),
    ("operations", "", "removed", f"operation POST {_OPEN}/rooms", None),
    ("operations", "", "removed", f"operation GET {_OPEN}/rooms/{{room_id}}", None),
    ("operations", "", "removed", f"operation PUT {_OPEN}/rooms/{{room_id}}", None),
    ("operations", "", "removed", f"operation GET {_OPEN}/contact/get-organizations-by-type", None),
    (
        "operations",
        "",
        "removed",
        f"operation GET {_OPEN}/contact/organizations/{{organization_id}}",
        None,
    ),
    (
        "operations",
        "",
        "removed",
        f"operation GET {_OPEN}/contact/departments/{{department_id}}",
        None,
    ),
    ("operations", "", "removed", f"operation GET {_OPEN}/apps/{{app_id}}/visibility", None),
    ("operations", "", "removed", "operation GET /api/v1/finchat-control/iam-info", None),
    ("operations", "", "removed", "operation POST (callback URL)", None),
    ("operations", "", "removed", f"operation GET {_IAM}/auth", None),
    ("operations", "", "removed", f"operation POST {_IAM}/token", None),
    ("operations", "", "removed", f"operation GET {_IAM}/userinfo", None),
    ("operations", "PUT (callback URL)", "removed", "request body field `app_id`", None),
    ("operations", f"GET {_OPEN}/users/{{fcid}}", "added", "response field `groups`", 807),
    ("operations", f"GET {_OPEN}/users/{{fcid}}", "removed", "response field `account`", None),
    ("operations", f"GET {_OPEN}/users/{{fcid}}", "removed", "response field `departments`", None),
    (
        "operations",
        f"GET {_OPEN}/users/{{fcid}}",
        "removed",
        "response field `organization_id`",
        None,
    ),
    (
        "operations",
        f"POST {_OPEN}/message/send-as-user",
        "removed",
        "request body field `topic`",
        None,
    ),
    ("errcodes", "", "removed", "errcode FC_ROOM_IS_NOT_FEDERATE", None),
    ("errcodes", "", "removed", "errcode FC_FCID_NOT_FOUND", None),
    ("errcodes", "", "removed", "errcode FC_FCID_ALREADY_IN_ROOM", None),
    ("errcodes", "", "removed", "errcode FC_FCID_NOT_IN_ROOM", None),
    ("errcodes", "", "removed", "errcode FC_NOT_FOUND", None),
    ("errcodes", "", "removed", "errcode FC_FORBIDDEN", None),
    ("events", "", "removed", "event type m.room.message [AllRoomsMessageEvent]", None),
    ("events", "", "removed", "event type finstore.app.webhook", None),
    ("events", "", "removed", "event type finstore.app.status", None),
    ("events", "", "removed", "event type finstore.app.visibility", None),
    ("events", "", "removed", "event type observe.message.sensitivity", None),
    ("events", "", "removed", "event type finstore.shortcut.search", None),
    ("events", "every event", "removed", "field `receivers`", None),
    ("events", "every event", "removed", "field `webhook_id`", None),
    ("events", "m.room.message [MessageEvent]", "removed", "field `origin_event`", None),
    ("events", "m.room.message (m.alert)", "removed", "field `origin_event`", None),
    ("events", "finstore.room.create", "removed", "field `origin_event`", None),
    ("events", "finstore.app.application", "removed", "field `origin_event`", None),
]

# What revision 2 gets wrong itself; the spec decides each.
REVISION_2_ISSUES = [
    ("POST (callback URL)", 523, "the example (line 523) lacks `content.opentype`"),
    (f"POST {_OPEN}/message/send", 655, "`room_id` in the example (line 655) is `room_ids`"),
    (f"POST {_OPEN}/rooms", 1259, "the status line `201 OK` (line 1259)"),
    (f"PUT {_OPEN}/rooms/{{room_id}}", 1315, "the status line `201 OK` (line 1315)"),
    (f"GET {_OPEN}/rooms/{{room_id}}", 1351, "the status line `201 OK` (line 1351)"),
    (f"GET {_OPEN}/rooms", 1386, "the status line `201 OK` (line 1386)"),
    (
        f"GET {_OPEN}/contact/departments/{{department_id}}",
        1525,
        "the address (line 1525) says `include_sub_departments`, the table (line 1540)",
    ),
    (f"POST {_IAM}/token", 1952, "`refresh_expires_in` in the example (line 1952)"),
    (f"POST {_IAM}/token", 1956, "`not-before-policy` in the example (line 1956)"),
    (f"POST {_IAM}/token", 2055, "`refresh_expires_in` in the example (line 2055)"),
    (f"POST {_IAM}/token", 2059, "`not-before-policy` in the example (line 2059)"),
]


def test_revision_2_matches_the_spec_and_the_spec_decides_each_of_its_issues() -> None:
    comparison = check(REVISION_2)
    assert comparison.differences == []
    assert comparison.unread == []
    assert [(f.issue.subject, f.issue.line) for f in comparison.findings] == [
        (subject, line) for subject, line, _ in REVISION_2_ISSUES
    ]
    for finding, (_, _, what) in zip(comparison.findings, REVISION_2_ISSUES, strict=True):
        assert finding.issue.what.startswith(what)
        assert finding.decision, finding.issue.what
    assert comparison.clean
    assert comparison.compared["operations"] == 25


def test_revision_1_differs_from_the_spec_by_what_revision_2_changed() -> None:
    comparison = check(REVISION_1)
    found = [(d.section, d.subject, d.kind, d.item, d.line) for d in comparison.differences]
    assert sorted(found, key=repr) == sorted(REVISION_2_CHANGES, key=repr)
    assert comparison.unread == []
    # Revision 1's own issue (the CUI example's room_id) is decided by the spec too.
    assert [(f.issue.line, bool(f.decision)) for f in comparison.findings] == [(368, True)]
