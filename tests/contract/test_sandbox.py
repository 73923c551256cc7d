"""The contract against the embedded sandbox: it passes, and each kind of planted bug fails it.

Every run here is a real schemathesis run (fixed seed, no example database). The full run is the
configuration of `finchat contract` with a smaller example budget, so CI stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml
from starlette.types import Receive, Scope, Send

from finchat_wrapper.contract import (
    ContractResult,
    default_spec_path,
    run_sandbox,
    sandbox_settings,
)
from finchat_wrapper.contract._config import NOT_SERVED_YET
from finchat_wrapper.sandbox import Sandbox

from .conftest import Broken, Reply, json_reply

API = "/api/v1/finchat/open-api"


def _spec_links() -> set[str]:
    """Every OpenAPI link of the spec, in operations' responses and in shared responses."""
    spec = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    responses = [
        response
        for item in spec["paths"].values()
        for operation in item.values()
        for response in operation.get("responses", {}).values()
    ]
    responses += spec["components"]["responses"].values()
    return {name for response in responses for name in response.get("links", {})}


ALL_LINKS = _spec_links()
# The flows of revision 2 (issue 15); the stateful phase follows these at the fixed seed.
NEW_FLOWS = {
    "GetCreatedRoom",
    "UpdateCreatedRoom",
    "MessageCreatedRoom",
    "GetFirstListedRoom",
    "WebhookAfterListingRooms",
}

EVERY_CHECK = {
    "allow_header_conformance",
    "content_type_conformance",
    "ensure_resource_availability",
    "ignored_auth",
    "missing_required_header",
    "negative_data_rejection",
    "not_a_server_error",
    "object_level_authorization",
    "positive_data_acceptance",
    "response_headers_conformance",
    "response_schema_conformance",
    "status_code_conformance",
    "unsupported_method",
    "use_after_free",
}


def _explain(result: ContractResult) -> str:
    lines = [f"{f.check} {f.operation}: {f.title}\n  {f.curl}" for f in result.failures]
    return "\n".join(lines + result.errors)


@pytest.mark.slow
def test_the_whole_spec_passes_in_process_with_every_phase_operation_and_link(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    result = run_sandbox(
        sandbox_settings(sandbox, max_examples=10), sandbox=sandbox, storage_dir=storage_dir
    )

    assert result.ok, _explain(result)
    # Every REST operation of the spec, get_iam_info and pull_events included.
    assert NOT_SERVED_YET == ()
    assert result.operations_tested == 20
    for phase in ("examples", "coverage", "fuzzing", "stateful"):
        assert result.phases[phase] == "success"
        assert result.cases_by_phase[phase] > 0
    assert result.cases >= 2000
    # Every check of schemathesis but `max_response_time`, which needs a threshold to mean anything.
    assert set(result.checks) == EVERY_CHECK
    followed = {link.split("] ")[1].split(" ->")[0] for link in result.links}
    # Which flows a stateful run draws varies a little from run to run (worker threads); most
    # of them always are. Links schemathesis infers itself (e.g. `PutRoom`) come on top.
    assert len(followed & ALL_LINKS) >= 10, sorted(ALL_LINKS - followed)
    assert len(followed & NEW_FLOWS) >= 3, sorted(NEW_FLOWS - followed)
    # Cases reach business logic: every operation answers 2xx to some of them.
    for label, statuses in result.statuses.items():
        assert any(200 <= status < 300 for status in statuses), label


@pytest.mark.network
def test_the_contract_passes_over_a_real_uvicorn_socket(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    settings = sandbox_settings(sandbox, max_examples=5, phases=("examples", "fuzzing", "stateful"))

    result = run_sandbox(settings, sandbox=sandbox, over_socket=True, storage_dir=storage_dir)

    assert result.ok, _explain(result)
    assert result.target.startswith("embedded sandbox over a loopback socket (http://127.0.0.1:")
    assert result.operations_tested == 20
    assert result.phases["stateful"] == "success"


def _run_broken(
    sandbox: Sandbox,
    storage_dir: Path,
    app: Broken,
    operations: tuple[str, ...],
    **overrides: object,
) -> ContractResult:
    settings = sandbox_settings(
        sandbox,
        operations=operations,
        max_examples=overrides.pop("max_examples", 10),
        phases=overrides.pop("phases", ("examples", "coverage", "fuzzing")),
        **overrides,
    )
    return run_sandbox(settings, sandbox=sandbox, app=app, storage_dir=storage_dir)


def _failed_checks(result: ContractResult) -> set[str]:
    return {failure.check for failure in result.failures}


def test_a_response_field_of_the_wrong_type_fails_response_schema_conformance(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    def fcid_as_number(_: bytes, reply: Reply) -> Reply:
        status, headers, body = reply
        data = json.loads(body)
        if status == 200:
            data["fcid"] = 12345
        return json_reply(status, data, headers)

    app = Broken(sandbox.app, f"{API}/users/", response=fcid_as_number)

    result = _run_broken(sandbox, storage_dir, app, ("get_user",))

    assert not result.ok
    assert _failed_checks(result) == {"response_schema_conformance"}
    assert all(f.operation == f"GET {API}/users/{{fcid}}" for f in result.failures)


def test_an_undeclared_status_code_fails_status_code_conformance(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    def unprocessable(_: bytes, reply: Reply) -> Reply:
        status, headers, body = reply
        return (422 if status == 400 else status), headers, body

    app = Broken(sandbox.app, f"{API}/contact/", response=unprocessable)

    result = _run_broken(sandbox, storage_dir, app, ("get_users_by_authority",))

    assert _failed_checks(result) == {"status_code_conformance"}


def test_an_undeclared_content_type_fails_content_type_conformance(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    def as_text(_: bytes, reply: Reply) -> Reply:
        status, headers, body = reply
        kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        return status, [*kept, (b"content-type", b"text/plain")], body

    app = Broken(sandbox.app, f"{API}/auth/token", response=as_text)

    result = _run_broken(sandbox, storage_dir, app, ("get_app_access_token",))

    assert "content_type_conformance" in _failed_checks(result)
    assert _failed_checks(result) <= {"content_type_conformance", "response_schema_conformance"}


def test_a_500_on_an_edge_input_fails_not_a_server_error(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    class CrashOnOneLetterAuthority(Broken):
        # The boundary of `minLength: 1`, where off-by-one bugs live.
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            query = httpx.QueryParams(scope.get("query_string", b"").decode("latin-1"))
            if scope["path"].startswith(self.path) and len(query.get("authority_name", "")) == 1:
                body = b'{"errcode": "FC_INTERNAL_ERROR", "error": "internal error"}'
                headers = [(b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": 500, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await self.app(scope, receive, send)

    app = CrashOnOneLetterAuthority(sandbox.app, f"{API}/contact/")

    result = _run_broken(sandbox, storage_dir, app, ("get_users_by_authority",))

    assert _failed_checks(result) == {"not_a_server_error"}


def test_a_server_that_ignores_the_token_fails_ignored_auth(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    with httpx.Client(transport=sandbox.transport(), base_url="http://sandbox") as c:
        token = c.post(
            f"{API}/auth/token", json={"app_id": sandbox.app_id, "secret": sandbox.secret}
        ).json()["app_access_token"]

    def any_token_is_fine(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        kept = [(k, v) for k, v in headers if k.lower() != b"authorization"]
        return [*kept, (b"authorization", f"Bearer {token}".encode())]

    app = Broken(sandbox.app, f"{API}/users/", headers=any_token_is_fine)

    result = _run_broken(sandbox, storage_dir, app, ("get_user",))

    assert "ignored_auth" in _failed_checks(result)
    # The same bug also accepts a missing or a malformed `Authorization` header, which these two
    # checks name; nothing unrelated to authentication fails.
    assert _failed_checks(result) <= {
        "ignored_auth",
        "missing_required_header",
        "negative_data_rejection",
    }
    assert all(
        "Authorization" in f.message or f.check == "ignored_auth"
        for f in result.failures
        if f.check != "missing_required_header"
    ), _explain(result)


def test_a_server_that_accepts_a_wrong_msgtype_fails_negative_data_rejection(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    known = {"m.text", "m.image", "m.file", "m.textcard", "m.cui"}

    def unknown_msgtype_sent_as_text(body: bytes) -> bytes:
        try:
            data = json.loads(body)
        except ValueError:
            return body
        content = data.get("content") if isinstance(data, dict) else None
        if isinstance(content, dict) and content.get("msgtype") not in known:
            data["content"] = {"msgtype": "m.text", "body": "accepted anyway"}
        return json.dumps(data).encode()

    app = Broken(sandbox.app, f"{API}/message/send", request=unknown_msgtype_sent_as_text)

    result = _run_broken(sandbox, storage_dir, app, ("send_message",), phases=("coverage",))

    assert _failed_checks(result) == {"negative_data_rejection"}
    assert all(f.operation == f"POST {API}/message/send" for f in result.failures)


def test_a_room_detail_without_its_owner_fails_response_schema_conformance(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    def ownerless(_: bytes, reply: Reply) -> Reply:
        status, headers, body = reply
        data = json.loads(body)
        if status == 200:
            data.pop("owner")
        return json_reply(status, data, headers)

    app = Broken(sandbox.app, f"{API}/rooms/", response=ownerless)

    result = _run_broken(sandbox, storage_dir, app, ("get_room",))

    assert _failed_checks(result) == {"response_schema_conformance"}
    assert all(f.operation == f"GET {API}/rooms/{{room_id}}" for f in result.failures)


def test_a_room_create_answering_200_fails_status_code_conformance(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    def created_as_ok(_: bytes, reply: Reply) -> Reply:
        status, headers, body = reply
        return (200 if status == 201 else status), headers, body

    app = Broken(sandbox.app, f"{API}/rooms", response=created_as_ok)

    result = _run_broken(sandbox, storage_dir, app, ("create_room",))

    assert "status_code_conformance" in _failed_checks(result)
    # Nothing but the status is wrong: the body is a room id, as the spec says.
    assert _failed_checks(result) <= {"status_code_conformance", "positive_data_acceptance"}


def test_a_server_sending_through_any_webhook_id_fails_negative_data_rejection(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    # Whatever the webhook id, even one the schema refuses (an empty one), the message is sent.
    def any_webhook(body: bytes) -> bytes:
        try:
            data = json.loads(body)
        except ValueError:
            return body
        if isinstance(data, dict) and isinstance(data.get("webhook_id"), str):
            data["webhook_id"] = "5df29mec9ccfd002ccd28076"
        return json.dumps(data).encode()

    app = Broken(sandbox.app, f"{API}/message/webhook/send", request=any_webhook)

    result = _run_broken(
        sandbox, storage_dir, app, ("send_webhook_message",), phases=("coverage", "fuzzing")
    )

    assert _failed_checks(result) == {"negative_data_rejection"}
